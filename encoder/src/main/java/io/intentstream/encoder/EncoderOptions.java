package io.intentstream.encoder;

/**
 * How {@link DjlSentenceEncoder} runs a model.
 *
 * @param batchSize texts per forward pass
 * @param sortByLength group texts of similar length into a batch, which wastes less on padding;
 *     results come back in input order either way
 * @param precision numeric precision of the forward pass
 * @param execution eager or scripted; int8 runs scripted only
 */
public record EncoderOptions(
        int batchSize, boolean sortByLength, Precision precision, Execution execution) {

    public static final EncoderOptions DEFAULT =
            new EncoderOptions(32, true, Precision.FP32, Execution.SCRIPTED);

    public EncoderOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (precision == null) {
            throw new IllegalArgumentException("precision is required");
        }
        if (execution == null) {
            throw new IllegalArgumentException("execution is required");
        }
        if (!precision.runsWith(execution)) {
            throw new IllegalArgumentException(
                    precision.name().toLowerCase(java.util.Locale.ROOT)
                            + " does not run with "
                            + execution.name().toLowerCase(java.util.Locale.ROOT)
                            + " execution (int8 is scripted only)");
        }
    }

    /** With {@link #DEFAULT}'s execution (scripted), which runs every precision. */
    public EncoderOptions(int batchSize, boolean sortByLength, Precision precision) {
        this(batchSize, sortByLength, precision, DEFAULT.execution());
    }

    public EncoderOptions withBatchSize(int size) {
        return new EncoderOptions(size, sortByLength, precision, execution);
    }

    public EncoderOptions withSortByLength(boolean sort) {
        return new EncoderOptions(batchSize, sort, precision, execution);
    }

    public EncoderOptions withPrecision(Precision p) {
        return new EncoderOptions(batchSize, sortByLength, p, execution);
    }

    public EncoderOptions withExecution(Execution e) {
        return new EncoderOptions(batchSize, sortByLength, precision, e);
    }
}
