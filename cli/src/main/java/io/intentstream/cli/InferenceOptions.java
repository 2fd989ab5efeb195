package io.intentstream.cli;

import io.intentstream.encoder.Execution;
import io.intentstream.encoder.Precision;
import picocli.CommandLine.Option;

/** How the encoder runs: precision and execution, shared by every command that encodes. */
public final class InferenceOptions {

    @Option(
            names = "--precision",
            defaultValue = "fp32",
            paramLabel = "fp32|fp16|int8",
            description =
                    "Inference precision. Scripted on a CPU, fp16 packs the linear layers' weights"
                            + " as float16 and int8 quantizes them dynamically (fbgemm); eager fp16"
                            + " casts the whole model. Default: ${DEFAULT-VALUE}.")
    String precision;

    @Option(
            names = "--execution",
            defaultValue = "scripted",
            paramLabel = "scripted|eager",
            description =
                    "scripted: the model as one TorchScript module, one native call per batch;"
                            + " eager: operation by operation through DJL (int8 is scripted only)."
                            + " Default: ${DEFAULT-VALUE}.")
    String execution;

    public Precision precision() {
        return Precision.parse(precision);
    }

    public Execution execution() {
        return Execution.parse(execution);
    }
}
