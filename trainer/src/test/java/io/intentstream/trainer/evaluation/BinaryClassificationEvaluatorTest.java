package io.intentstream.trainer.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.intentstream.trainer.data.InputExample;
import java.util.List;
import org.junit.jupiter.api.Test;

class BinaryClassificationEvaluatorTest {

    private final KeywordEncoder encoder = new KeywordEncoder("card", "refund", "password");

    // Cosines: 1, 2/√5 = 0.8944, 1/√2 = 0.7071, 0, 0; labels 1, 0, 1, 0, 1.
    private final List<InputExample> pairs =
            List.of(
                    InputExample.pair("card", "card", 1),
                    InputExample.pair("card card refund", "card", 0),
                    InputExample.pair("card", "card refund", 1),
                    InputExample.pair("card", "refund", 0),
                    InputExample.pair("refund", "password", 1));

    @Test
    void shouldMatchHandComputedMetricsWhenScoresTie() {
        EvaluationResult r =
                BinaryClassificationEvaluator.fromExamples("t", pairs).evaluate(encoder);
        // Sorted by cosine, highest first (ties in input order): labels 1, 0, 1, 0, 1.
        // Accuracy after each cut: 3/5, 2/5, 3/5, 2/5 → best 0.6 at the first cut, midway between 1
        // and 0.8944.
        assertEquals(0.6, r.get("cosine_accuracy"), 1e-9);
        assertEquals((1 + 2 / Math.sqrt(5)) / 2, r.get("cosine_accuracy_threshold"), 1e-6);
        // F1 after each cut: 1/2, 2/5, 2/3, 4/7 → best 2/3 (precision 2/3, recall 2/3) between
        // 0.7071 and 0.
        assertEquals(2.0 / 3, r.get("cosine_f1"), 1e-9);
        assertEquals(2.0 / 3, r.get("cosine_precision"), 1e-9);
        assertEquals(2.0 / 3, r.get("cosine_recall"), 1e-9);
        assertEquals(Math.sqrt(0.5) / 2, r.get("cosine_f1_threshold"), 1e-6);
        // AP over distinct scores: ΔR·P = 1/3·1 + 0 + 1/3·2/3 + 1/3·3/5 (the tied zeros are one
        // step) = 34/45.
        assertEquals(34.0 / 45, r.get("cosine_ap"), 1e-9);
        // At the F1 threshold: tp 2, fp 1, fn 1, tn 1 → (2·1 − 1·1)/√(3·3·2·2) = 1/6.
        assertEquals(1.0 / 6, r.get("cosine_mcc"), 1e-9);
        assertEquals("cosine_ap", r.primaryMetric());
    }

    @Test
    void shouldBePerfectWhenEverySimilarPairOutscoresEveryDissimilarOne() {
        var r =
                new BinaryClassificationEvaluator(
                                "t",
                                List.of("card", "card", "card"),
                                List.of("card", "card refund", "refund"),
                                new int[] {1, 1, 0})
                        .evaluate(encoder);
        assertEquals(1.0, r.get("cosine_accuracy"), 1e-12);
        assertEquals(1.0, r.get("cosine_f1"), 1e-12);
        assertEquals(1.0, r.get("cosine_ap"), 1e-12);
        assertEquals(1.0, r.get("cosine_mcc"), 1e-12);
        // Midway between 1/√2 and 0.
        assertEquals(Math.sqrt(0.5) / 2, r.get("cosine_accuracy_threshold"), 1e-6);
    }

    @Test
    void shouldAgreeWithSentenceTransformersWhenManyScoresTie() {
        // 200 scores on a grid of 41 values; the expected figures come from sentence-transformers'
        // threshold searches and scikit-learn's average_precision_score / matthews_corrcoef, run
        // once
        // on the same numbers (printed from this generator).
        java.util.Random random = new java.util.Random(1);
        double[] s = new double[200];
        int[] y = new int[200];
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.round(random.nextDouble() * 40) / 40.0;
            y[i] = random.nextDouble() < 0.3 + 0.5 * s[i] ? 1 : 0;
        }
        var m = BinaryClassificationEvaluator.metrics("", s, y);
        assertEquals(0.64, m.get("accuracy"), 1e-12);
        assertEquals(0.375, m.get("accuracy_threshold"), 1e-12);
        assertEquals(0.7, m.get("f1"), 1e-12);
        assertEquals(0.125, m.get("f1_threshold"), 1e-12);
        assertEquals(0.5568181818181818, m.get("precision"), 1e-12);
        assertEquals(0.9423076923076923, m.get("recall"), 1e-12);
        assertEquals(0.6378700144073038, m.get("ap"), 1e-12);
        assertEquals(0.17400241166605512, m.get("mcc"), 1e-12);
    }

    @Test
    void shouldRefuseLabelsOtherThanZeroAndOne() {
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        BinaryClassificationEvaluator.fromExamples(
                                "t", List.of(InputExample.pair("a", "b", 0.5f))));
    }
}
