package io.intentstream.streams.model;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.intentstream.encoder.SentenceEncoder;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The canary on small real encoders: a bag of topic words (which ranks the known paraphrases
 * right), and broken variants of it.
 */
class ModelCanaryTest {

    /**
     * One dimension per topic; a sentence's vector counts the topic words it contains,
     * L2-normalised.
     */
    private static final List<List<String>> TOPICS =
            List.of(
                    List.of("password", "log"),
                    List.of("card", "payment", "declined", "refused"),
                    List.of("app", "application", "crashes", "closing"),
                    List.of("invoice"),
                    List.of("email"),
                    List.of("subscription"));

    private static SentenceEncoder topics(Function<float[], float[]> after, int dimension) {
        return new SentenceEncoder() {
            @Override
            public int dimension() {
                return dimension;
            }

            @Override
            public float[][] encode(List<String> texts) {
                float[][] out = new float[texts.size()][];
                for (int i = 0; i < texts.size(); i++) {
                    float[] v = new float[dimension];
                    String lower = texts.get(i).toLowerCase();
                    for (int t = 0; t < TOPICS.size(); t++) {
                        for (String w : TOPICS.get(t)) {
                            if (lower.contains(w)) {
                                v[t]++;
                            }
                        }
                    }
                    v[dimension - 1] += 0.1f; // no zero vectors
                    double n = 0;
                    for (float x : v) {
                        n += x * x;
                    }
                    for (int d = 0; d < dimension; d++) {
                        v[d] /= (float) Math.sqrt(n);
                    }
                    out[i] = after.apply(v);
                }
                return out;
            }

            @Override
            public void close() {}
        };
    }

    @Test
    void shouldPassWhenTheModelRanksKnownSentencesRight() {
        assertDoesNotThrow(() -> ModelCanary.check(topics(v -> v, 8), 8));
    }

    @Test
    void shouldFailWhenTheDimensionDiffersFromTheServedModel() {
        var e =
                assertThrows(
                        IllegalStateException.class,
                        () -> ModelCanary.check(topics(v -> v, 8), 384));
        assertTrue(e.getMessage().contains("dimension"), e.getMessage());
    }

    @Test
    void shouldFailWhenVectorsAreNotUnitLength() {
        var e =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                ModelCanary.check(
                                        topics(
                                                v -> {
                                                    float[] w = v.clone();
                                                    w[0] += 1;
                                                    return w;
                                                },
                                                8),
                                        8));
        assertTrue(e.getMessage().contains("norm"), e.getMessage());
    }

    @Test
    void shouldFailWhenVectorsAreNotFinite() {
        assertThrows(
                IllegalStateException.class,
                () ->
                        ModelCanary.check(
                                topics(
                                        v -> {
                                            float[] w = v.clone();
                                            w[1] = Float.NaN;
                                            return w;
                                        },
                                        8),
                                8));
    }

    @Test
    void shouldFailWhenKnownSentencesComeOutOfOrder() {
        // Every sentence on the same vector: a paraphrase is no closer than an unrelated sentence.
        var e =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                ModelCanary.check(
                                        topics(
                                                v -> {
                                                    float[] w = new float[v.length];
                                                    w[0] = 1;
                                                    return w;
                                                },
                                                8),
                                        8));
        assertTrue(e.getMessage().contains("out of order"), e.getMessage());
    }
}
