package io.intentstream.trainer.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.intentstream.trainer.data.LabelledText;
import java.util.List;
import org.junit.jupiter.api.Test;

class IntentEvaluatorTest {

    private final KeywordEncoder encoder =
            new KeywordEncoder("card", "lost", "refund", "password", "weather");

    @Test
    void shouldDifferBetweenNeighbourAndCentroidWhenOneUtteranceIsAnOutlier() {
        // "card lost" has one exact neighbour in lost_card, but card_arrival's centroid is
        // dominated by its "card" utterances and lost_card's by "lost lost".
        List<LabelledText> catalog =
                List.of(
                        new LabelledText("card", "card_arrival"),
                        new LabelledText("card card", "card_arrival"),
                        new LabelledText("card lost", "lost_card"),
                        new LabelledText("lost", "lost_card"),
                        new LabelledText("lost lost", "lost_card"));
        List<LabelledText> queries = List.of(new LabelledText("card card lost", "lost_card"));
        var r = new IntentEvaluator("t", catalog, queries, null).evaluate(encoder);
        assertEquals(1.0, r.get("nn_accuracy"));
        assertEquals(0.0, r.get("centroid_accuracy"));
    }

    @Test
    void shouldScoreLabelByMeanOfItsClosestUtterancesWhenSeveralNeighbours() {
        // Interleaved labels. "card card lost" is closest to "card lost" (cosine 3/sqrt(10)), but
        // lost_card's
        // second-closest is "lost" (1/sqrt(5)) while both card_arrival utterances score 2/sqrt(5).
        List<LabelledText> catalog =
                List.of(
                        new LabelledText("card lost", "lost_card"),
                        new LabelledText("card", "card_arrival"),
                        new LabelledText("lost", "lost_card"),
                        new LabelledText("card card", "card_arrival"),
                        new LabelledText("lost lost", "lost_card"));
        List<LabelledText> queries = List.of(new LabelledText("card card lost", "lost_card"));

        var one = new IntentEvaluator("t", catalog, queries, null, 1).predict(encoder);
        assertEquals("lost_card", one.nnLabels()[0]);
        assertEquals(3 / Math.sqrt(10), one.nnScores()[0], 1e-6);

        var two = new IntentEvaluator("t", catalog, queries, null, 2).predict(encoder);
        assertEquals("card_arrival", two.nnLabels()[0]);
        assertEquals(2 / Math.sqrt(5), two.nnScores()[0], 1e-6);
        assertEquals(
                0.0,
                new IntentEvaluator("t", catalog, queries, null, 2)
                        .evaluate(encoder)
                        .get("nn_accuracy"));
    }

    @Test
    void shouldComputeMacroF1OverGoldAndPredictedLabels() {
        String[] gold = {"a", "a", "b", "c"};
        String[] pred = {"a", "b", "b", "b"};
        // a: tp 1, fn 1 → 2/3; b: tp 1, fp 2 → 2·1/(2+2) = 0.5; c: 0. Mean = (0.6667 + 0.5 + 0) /
        // 3.
        assertEquals((2.0 / 3 + 0.5) / 3, ClassificationMetrics.macroF1(gold, pred), 1e-12);
        assertEquals(0.5, ClassificationMetrics.accuracy(gold, pred), 1e-12);
    }

    @Test
    void shouldFitAThresholdBetweenInScopeAndOutOfScopeScores() {
        List<LabelledText> catalog =
                List.of(
                        new LabelledText("card lost", "lost_card"),
                        new LabelledText("refund", "refund"));
        List<LabelledText> validation =
                List.of(
                        new LabelledText("card lost", "lost_card"), // cosine 1
                        new LabelledText("refund", "refund"), // cosine 1
                        new LabelledText("card weather", "oos"), // cosine 0.5 with "card lost"
                        new LabelledText("weather", "oos")); // cosine 0
        IntentEvaluator evaluator = new IntentEvaluator("v", catalog, validation, null);
        double t = evaluator.fitOutOfScopeThreshold(encoder);
        // Midway between the best out-of-scope score (0.5) and the lowest in-scope one (1).
        assertEquals(0.75, t, 1e-6);
        var r = new IntentEvaluator("v", catalog, validation, t).evaluate(encoder);
        assertEquals(1.0, r.get("nn_accuracy"));
        assertEquals(1.0, r.get("nn_oos_recall"));
        assertEquals(1.0, r.get("nn_in_scope_accuracy"));
    }
}
