package io.intentstream.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class IntentIndexTest {

    // Unit vectors along axes, and one halfway between x and y.
    private static final float H = (float) Math.sqrt(0.5);
    private static final float[] X = {1, 0, 0};
    private static final float[] Y = {0, 1, 0};
    private static final float[] Z = {0, 0, 1};
    private static final float[] XY = {H, H, 0};

    private static final IntentIndex INDEX =
            IntentIndex.of(
                    3,
                    List.of(
                            new IntentVectors("alpha", "a", null, new float[][] {X, Z}),
                            new IntentVectors("beta", "b", 0.9f, new float[][] {Y}),
                            new IntentVectors("gamma", "c", null, new float[][] {XY}),
                            new IntentVectors("empty", "e", null, new float[0][])));

    @Test
    void shouldScoreIntentByItsClosestExampleWhenIntentHasSeveral() {
        List<ScoredIntent> top = INDEX.topK(Z, 3, 1);
        assertEquals("alpha", top.get(0).intentId());
        assertEquals(1.0f, top.get(0).score(), 1e-6);
    }

    @Test
    void shouldRankBestFirstAndCutAtKWhenQueryIsBetweenIntents() {
        float[] q = {0.8f, 0.6f, 0};
        List<ScoredIntent> top = INDEX.topK(q, 2, 1);
        assertEquals(List.of("gamma", "alpha"), top.stream().map(ScoredIntent::intentId).toList());
        assertEquals((0.8f + 0.6f) * H, top.get(0).score(), 1e-6);
        assertEquals(0.8f, top.get(1).score(), 1e-6);
    }

    @Test
    void shouldAverageIntentsClosestExamplesWhenScoringWithSeveralNeighbours() {
        // alpha: X and Z; a query near X scores cos(q, X) alone with one neighbour, the mean of
        // both with two
        float[] q = {0.8f, 0.6f, 0};
        List<ScoredIntent> two = INDEX.topK(new float[][] {q}, 3, 2).get(0);
        assertEquals(
                List.of("gamma", "beta", "alpha"),
                two.stream().map(ScoredIntent::intentId).toList());
        assertEquals((0.8f + 0f) / 2, two.get(2).score(), 1e-6);
        // intents with a single example keep its cosine
        assertEquals((0.8f + 0.6f) * H, two.get(0).score(), 1e-6);
        assertEquals(0.6f, two.get(1).score(), 1e-6);
    }

    @Test
    void shouldBreakTiesByIntentIdWhenScoresAreEqual() {
        IntentIndex tied =
                IntentIndex.of(
                        3,
                        List.of(
                                new IntentVectors("zeta", "", null, new float[][] {X}),
                                new IntentVectors("eta", "", null, new float[][] {X})));
        assertEquals("eta", tied.topK(X, 1, 1).get(0).intentId());
    }

    @Test
    void shouldLeaveOutIntentsWithoutVectorsWhenBuilding() {
        assertEquals(3, INDEX.size());
        assertEquals(4, INDEX.rows());
        assertTrue(INDEX.topK(X, 10, 1).stream().noneMatch(s -> s.intentId().equals("empty")));
    }

    @Test
    void shouldRejectVectorWhenDimensionDiffers() {
        assertThrows(IllegalArgumentException.class, () -> INDEX.topK(new float[] {1, 0}, 1, 1));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        IntentIndex.of(
                                3,
                                List.of(new IntentVectors("x", "", null, new float[][] {{1, 0}}))));
    }

    @Test
    void shouldApplyIntentThresholdThenDefaultThenMarginWhenDeciding() {
        MatchRule rule = new MatchRule(0.5f, 0.1f, true);
        assertEquals(MatchRule.EMPTY_CATALOG, rule.decide(List.of()).fallbackReason());
        // beta has its own threshold 0.9
        assertEquals(
                MatchRule.BELOW_THRESHOLD,
                rule.decide(List.of(new ScoredIntent("beta", "b", 0.85f, 0.9f))).fallbackReason());
        assertEquals(
                "beta",
                rule.decide(List.of(new ScoredIntent("beta", "b", 0.95f, 0.9f)))
                        .chosen()
                        .intentId());
        assertEquals(
                MatchRule.BELOW_THRESHOLD,
                rule.decide(List.of(new ScoredIntent("alpha", "a", 0.45f, null))).fallbackReason());
        assertEquals(
                MatchRule.LOW_MARGIN,
                rule.decide(
                                List.of(
                                        new ScoredIntent("alpha", "a", 0.70f, null),
                                        new ScoredIntent("gamma", "c", 0.65f, null)))
                        .fallbackReason());
        assertEquals(
                "alpha",
                rule.decide(
                                List.of(
                                        new ScoredIntent("alpha", "a", 0.80f, null),
                                        new ScoredIntent("gamma", "c", 0.65f, null)))
                        .chosen()
                        .intentId());
    }

    @Test
    void shouldAlwaysMatchBestWhenFallbackIsOff() {
        MatchRule off = new MatchRule(0.99f, 0.5f, false);
        Verdict v =
                off.decide(
                        List.of(
                                new ScoredIntent("alpha", "a", 0.1f, 0.9f),
                                new ScoredIntent("gamma", "c", 0.09f, null)));
        assertTrue(v.matched());
        assertEquals("alpha", v.chosen().intentId());
    }
}
