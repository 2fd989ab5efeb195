package io.intentstream.encoder;

import ai.djl.ndarray.types.DataType;

/** Numeric precision of inference. Training always runs in float32. */
public enum Precision {
    FP32(DataType.FLOAT32),
    FP16(DataType.FLOAT16);

    private final DataType dataType;

    Precision(DataType dataType) {
        this.dataType = dataType;
    }

    public DataType dataType() {
        return dataType;
    }

    public static Precision parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("precision must be fp32 or fp16; got '" + value + "'");
        }
    }
}
