package io.intentstream.trainer.data;

/**
 * The three NLI classes with the indices sentence-transformers' NLI training scripts give them
 * ({@code label2int = {"contradiction": 0, "entailment": 1, "neutral": 2}}); SoftmaxLoss predicts
 * this index.
 */
public enum NliLabel {
    CONTRADICTION,
    ENTAILMENT,
    NEUTRAL;

    /** The class index: contradiction 0, entailment 1, neutral 2. */
    public int index() {
        return ordinal();
    }

    /**
     * Parses a label name (any case) or its index {@code 0}, {@code 1} or {@code 2}.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static NliLabel parse(String value) {
        String v = value.strip();
        for (NliLabel label : values()) {
            if (label.name().equalsIgnoreCase(v) || String.valueOf(label.index()).equals(v)) {
                return label;
            }
        }
        throw new IllegalArgumentException(
                "'"
                        + value
                        + "' is not an NLI label; expected contradiction/entailment/neutral or"
                        + " 0/1/2 (contradiction=0, entailment=1, neutral=2)");
    }
}
