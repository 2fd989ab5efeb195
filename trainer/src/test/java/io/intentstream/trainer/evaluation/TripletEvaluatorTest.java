package io.intentstream.trainer.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TripletEvaluatorTest {

    private final KeywordEncoder encoder = new KeywordEncoder("card", "refund", "password");

    // cos(a, p) vs cos(a, n): 0.7071 > 0 (right); 0 < 0.7071 (wrong); 0 = 0 (a tie is wrong).
    private final List<String> anchors = List.of("card", "card", "card");
    private final List<String> positives = List.of("card refund", "refund", "refund");
    private final List<String> negatives = List.of("refund", "card password", "password");

    @Test
    void shouldCountOnlyStrictlyCloserPositivesAsCorrect() {
        var r = new TripletEvaluator("t", anchors, positives, negatives, 0).evaluate(encoder);
        assertEquals(1.0 / 3, r.primary(), 1e-12);
        assertEquals("cosine_accuracy", r.primaryMetric());
    }

    @Test
    void shouldRequireTheMarginWhenOneIsSet() {
        assertEquals(
                1.0 / 3,
                new TripletEvaluator("t", anchors, positives, negatives, 0.7)
                        .evaluate(encoder)
                        .primary(),
                1e-12);
        assertEquals(
                0.0,
                new TripletEvaluator("t", anchors, positives, negatives, 0.71)
                        .evaluate(encoder)
                        .primary(),
                1e-12);
    }
}
