package io.intentstream.encoder;

import ai.djl.ndarray.types.DataType;

/**
 * Numeric precision of inference. Training always runs in float32. With eager execution, fp16 casts
 * the whole model to float16; scripted, it packs the linear layers' weights as float16 and computes
 * in float32 (fbgemm's fp16 GEMM, CPU).
 */
public enum Precision {
    FP32(DataType.FLOAT32),
    FP16(DataType.FLOAT16),
    /**
     * The linear layers quantized dynamically (PyTorch's fbgemm kernels: int8 weights per output
     * channel, activations quantized per call); the rest in float32. Scripted execution on a CPU.
     */
    INT8(DataType.INT8);

    private final DataType dataType;

    Precision(DataType dataType) {
        this.dataType = dataType;
    }

    public DataType dataType() {
        return dataType;
    }

    /** Whether this precision runs with {@code execution}: int8 is scripted only. */
    public boolean runsWith(Execution execution) {
        return this != INT8 || execution == Execution.SCRIPTED;
    }

    public static Precision parse(String value) {
        return EnumOption.parse(Precision.class, "precision", value);
    }
}
