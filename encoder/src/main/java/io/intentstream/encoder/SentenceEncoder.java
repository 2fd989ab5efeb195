package io.intentstream.encoder;

import java.util.List;

/**
 * Maps sentences to fixed-size embedding vectors.
 *
 * <p>Implementations are thread-safe: one instance may serve several threads at once. Vectors of a
 * model that normalises its output have an L2 norm of 1, so cosine similarity is a dot product.
 */
public interface SentenceEncoder extends AutoCloseable {

    /** The length of every vector this encoder returns. */
    int dimension();

    /**
     * Embeds the given texts.
     *
     * @param texts the sentences, in any order; none may be null
     * @return one vector per text, in the order of {@code texts}, each of length {@link
     *     #dimension()}
     */
    float[][] encode(List<String> texts);

    /** Embeds one text; equal (within float rounding) to the same text's row of a batch. */
    default float[] encode(String text) {
        return encode(List.of(text))[0];
    }

    @Override
    void close();
}
