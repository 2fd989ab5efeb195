package io.intentstream.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.intentstream.encoder.SentenceEncoder;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchMatcherTest {

    /**
     * One dimension per word; a text with "poison" cannot be embedded, as a text a model rejects.
     */
    private static final class WordEncoder implements SentenceEncoder {
        private static final List<String> WORDS = List.of("card", "refund", "password");
        int calls;
        int width = WORDS.size();

        @Override
        public int dimension() {
            return WORDS.size();
        }

        @Override
        public float[][] encode(List<String> texts) {
            calls++;
            float[][] out = new float[texts.size()][];
            for (int i = 0; i < texts.size(); i++) {
                if (texts.get(i).contains("poison")) {
                    throw new IllegalArgumentException("cannot embed");
                }
                if (texts.get(i).contains("huge")) {
                    throw new OutOfMemoryError("Java heap space"); // as a failed allocation does
                }
                out[i] = new float[width];
                for (int w = 0; w < WORDS.size() && w < width; w++) {
                    out[i][w] =
                            texts.get(i).contains(WORDS.get(w))
                                    ? 2f
                                    : 0f; // not unit length: the index scales it
                }
            }
            return out;
        }

        @Override
        public void close() {}
    }

    private static final IntentIndex INDEX =
            IntentIndex.of(
                    3,
                    List.of(
                            new IntentVectors(
                                    "card_lost", "cards", null, new float[][] {{1, 0, 0}}),
                            new IntentVectors(
                                    "refund", "payments", 0.9f, new float[][] {{0, 1, 0}}),
                            new IntentVectors("password", "it", null, new float[][] {{0, 0, 1}})));

    @Test
    void shouldMatchEachTextUnderTheRuleAndCutCandidatesAtTopKWhenBatchIsWhole() {
        WordEncoder encoder = new WordEncoder();
        BatchMatcher matcher = new BatchMatcher(new MatchRule(0.5f, 0f, true), 1);

        List<BatchMatcher.Match> matches =
                matcher.match(
                        encoder, INDEX, List.of("lost card", "the weather", "refund card"), 1);

        assertEquals(1, encoder.calls, "one encoder call for the batch");
        assertEquals("card_lost", matches.get(0).verdict().chosen().intentId());
        assertEquals(
                1f, matches.get(0).bestScore(), 1e-6, "a cosine, whatever the vectors' length");
        assertEquals(1, matches.get(0).candidates().size());
        assertEquals(MatchRule.BELOW_THRESHOLD, matches.get(1).verdict().fallbackReason());
        // 0.707 to both: card_lost wins the tie by id, over its default threshold 0.5
        assertEquals("card_lost", matches.get(2).label("oos"));
    }

    @Test
    void shouldEmbedOneByOneAndLeaveNullWhenOneTextBreaksTheBatch() {
        WordEncoder encoder = new WordEncoder();
        BatchMatcher matcher = BatchMatcher.nearestIntent();

        List<BatchMatcher.Match> matches =
                matcher.match(encoder, INDEX, List.of("my password", "poison pill", "refund"), 1);

        assertEquals(4, encoder.calls, "the failed batch, then each text alone");
        assertEquals("password", matches.get(0).label("oos"));
        assertNull(matches.get(1), "the text that cannot be embedded has no match");
        assertEquals("refund", matches.get(2).label("oos"));
    }

    @Test
    void shouldSetAsideOnlyTheTextWhoseEmbeddingRunsOutOfMemory() {
        WordEncoder encoder = new WordEncoder();
        List<BatchMatcher.Match> matches =
                BatchMatcher.nearestIntent()
                        .match(encoder, INDEX, List.of("card", "huge text", "refund"), 1);
        assertEquals("card_lost", matches.get(0).label("oos"));
        assertNull(matches.get(1));
        assertEquals("refund", matches.get(2).label("oos"));
    }

    @Test
    void shouldThrowWhenEncoderReturnsVectorsOfAnotherLength() {
        WordEncoder encoder = new WordEncoder();
        encoder.width = 2;
        assertThrows(
                VectorDimensionException.class,
                () -> BatchMatcher.nearestIntent().embed(encoder, List.of("card")));
    }

    @Test
    void shouldFallBackOnLowMarginOnlyWhenRuleAsksForOne() {
        float[] between = {1, 1, 0};
        BatchMatcher strict = new BatchMatcher(new MatchRule(0.1f, 0.05f, true), 2);
        BatchMatcher.Match m = strict.match(INDEX, new float[][] {between}, 1).get(0);
        assertFalse(m.verdict().matched());
        assertEquals(MatchRule.LOW_MARGIN, m.verdict().fallbackReason());
        assertEquals(2, m.candidates().size());
        assertTrue(
                BatchMatcher.nearestIntent()
                        .match(INDEX, new float[][] {between}, 1)
                        .get(0)
                        .verdict()
                        .matched());
    }

    @Test
    void shouldSeparateTwoScoresAsFloatsWhenTheyAreNeighbours() {
        float low = 0.5f;
        float high = Math.nextUp(low);
        double t = MatchRule.separating(low, high);
        assertTrue((float) t > low && (float) t <= high);
        assertTrue((float) MatchRule.separating(low, Double.NaN) > low);
    }
}
