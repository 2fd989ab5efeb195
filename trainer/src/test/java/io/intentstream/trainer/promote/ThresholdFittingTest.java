package io.intentstream.trainer.promote;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.intentstream.encoder.SentenceEncoder;
import io.intentstream.trainer.data.LabelledText;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThresholdFittingTest {

    /** Texts are their own vectors ("0.9 0 0 0.436"), so every cosine below is chosen by hand. */
    private static final class WrittenVectors implements SentenceEncoder {
        @Override
        public int dimension() {
            return 4;
        }

        @Override
        public float[][] encode(List<String> texts) {
            return texts.stream()
                    .map(
                            t -> {
                                String[] parts = t.split(" ");
                                float[] v = new float[parts.length];
                                for (int i = 0; i < parts.length; i++) {
                                    v[i] = Float.parseFloat(parts[i]);
                                }
                                return v;
                            })
                    .toArray(float[][]::new);
        }

        @Override
        public void close() {}
    }

    /**
     * A query whose cosine with the intent on axis {@code axis} is {@code c} and 0 with the others.
     */
    private static LabelledText query(int axis, double c, String label) {
        double[] v = new double[4];
        v[axis] = c;
        v[3] = Math.sqrt(1 - c * c);
        return new LabelledText(
                String.join(" ", Arrays.stream(v).mapToObj(Double::toString).toList()), label);
    }

    private static final List<LabelledText> CATALOG =
            List.of(
                    new LabelledText("1 0 0 0", "a"),
                    new LabelledText("0 1 0 0", "b"),
                    new LabelledText("0 0 1 0", "c"));

    @Test
    void
            shouldFitOneThresholdPerIntentMidwayBetweenItsInScopeAndOutOfScopeScoresWhenValidationHasBoth() {
        List<LabelledText> validation =
                List.of(
                        query(0, 0.9, "a"),
                        query(0, 0.7, "a"),
                        query(0, 0.3, "oos"),
                        query(0, 0.4, "oos"),
                        query(1, 0.95, "b"),
                        query(1, 0.6, "oos"));

        ThresholdFitting.Thresholds t =
                ThresholdFitting.fitAll(CATALOG, validation, new WrittenVectors(), 1);

        assertEquals(0.55, t.perIntent().get("a"), 1e-6);
        assertEquals(0.775, t.perIntent().get("b"), 1e-6);
        // One threshold over all queries: between the best out-of-scope (0.6) and the worst
        // in-scope (0.7).
        assertEquals(0.65, t.global(), 1e-6);
        assertEquals(
                t.global(),
                t.perIntent().get("c"),
                1e-12,
                "an intent no validation query came near gets the global threshold");
    }

    @Test
    void shouldKeepEveryMatchWhenNoOutOfScopeQueryComesNearAnIntent() {
        List<LabelledText> validation =
                List.of(query(0, 0.9, "a"), query(0, 0.5, "a"), query(1, 0.3, "oos"));

        ThresholdFitting.Thresholds t =
                ThresholdFitting.fitAll(CATALOG, validation, new WrittenVectors(), 1);

        assertEquals(0.0, t.perIntent().get("a"), 1e-12);
    }
}
