package io.intentstream.encoder;

/**
 * How {@link DjlSentenceEncoder} runs a model.
 *
 * @param batchSize texts per forward pass
 * @param sortByLength group texts of similar length into a batch, which wastes less on padding;
 *     results come back in input order either way
 * @param precision numeric precision of the forward pass
 */
public record EncoderOptions(int batchSize, boolean sortByLength, Precision precision) {

    public static final EncoderOptions DEFAULT = new EncoderOptions(32, true, Precision.FP32);

    public EncoderOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (precision == null) {
            throw new IllegalArgumentException("precision is required");
        }
    }

    public EncoderOptions withBatchSize(int size) {
        return new EncoderOptions(size, sortByLength, precision);
    }

    public EncoderOptions withSortByLength(boolean sort) {
        return new EncoderOptions(batchSize, sort, precision);
    }

    public EncoderOptions withPrecision(Precision p) {
        return new EncoderOptions(batchSize, sortByLength, p);
    }
}
