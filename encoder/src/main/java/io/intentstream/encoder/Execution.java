package io.intentstream.encoder;

/** How {@link DjlSentenceEncoder} runs the model's forward pass for inference. */
public enum Execution {
    /** Operation by operation from Java through DJL, as training does. */
    EAGER,
    /** As one TorchScript module compiled by PyTorch: one native call per batch. */
    SCRIPTED;

    public static Execution parse(String value) {
        return EnumOption.parse(Execution.class, "execution", value);
    }
}
