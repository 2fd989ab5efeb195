package io.intentstream.trainer.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingSimilarityEvaluatorTest {

    private final KeywordEncoder encoder = new KeywordEncoder("card", "refund", "password");

    // Cosines: (card, card) = 1; (card, card refund) = 1/sqrt(2) ≈ 0.7071; (card, refund) = 0.
    private final List<String> s1 = List.of("card", "card", "card");
    private final List<String> s2 = List.of("card", "card refund", "refund");

    @Test
    void shouldBePerfectWhenGoldOrdersPairsLikeCosine() {
        var r =
                new EmbeddingSimilarityEvaluator("t", s1, s2, new double[] {5, 3, 0})
                        .evaluate(encoder);
        assertEquals(1.0, r.primary(), 1e-12);
        assertEquals("spearman_cosine", r.primaryMetric());
    }

    @Test
    void shouldBeMinusOneWhenGoldReversesTheOrder() {
        var r =
                new EmbeddingSimilarityEvaluator("t", s1, s2, new double[] {0, 1, 2})
                        .evaluate(encoder);
        assertEquals(-1.0, r.get("spearman_cosine"), 1e-12);
    }

    @Test
    void shouldMatchHandComputedPearsonWhenScoresAreLinearInCosineButOne() {
        // x = (1, 0.70711, 0), y = (1, 0, 0): mean x = 0.56904, mean y = 1/3.
        // cov ∝ Σ(x-x̄)(y-ȳ) = 0.43096·0.66667 + 0.13807·(-0.33333) + (-0.56904)·(-0.33333) =
        // 0.43097
        // sx ∝ sqrt(0.18573 + 0.01906 + 0.32381) = 0.72705; sy ∝ sqrt(0.66667) = 0.81650
        // r = 0.43097 / (0.72705 · 0.81650) = 0.72598
        var r =
                new EmbeddingSimilarityEvaluator("t", s1, s2, new double[] {1, 0, 0})
                        .evaluate(encoder);
        assertEquals(0.72598, r.get("pearson_cosine"), 1e-4);
    }
}
