package io.intentstream.trainer.promote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.intentstream.encoder.SentenceEncoder;
import io.intentstream.trainer.data.LabelledText;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReleaseGateTest {

    private final ReleaseGate gate = new ReleaseGate(0.0, 0.02, null);

    @Test
    void shouldPromoteWhenHeldOutAccuracyIsHigher() {
        assertTrue(
                gate.decide(Map.of(ReleaseGate.ACCURACY, 0.80), Map.of(ReleaseGate.ACCURACY, 0.85))
                        .promote());
    }

    @Test
    void shouldRejectWhenHeldOutAccuracyIsOnlyEqual() {
        assertFalse(
                gate.decide(Map.of(ReleaseGate.ACCURACY, 0.80), Map.of(ReleaseGate.ACCURACY, 0.80))
                        .promote());
    }

    @Test
    void shouldRejectWhenTheGuardSetFallsBeyondTheTolerance() {
        ReleaseGate.Decision d =
                gate.decide(
                        Map.of(ReleaseGate.ACCURACY, 0.80, ReleaseGate.GUARD, 0.85),
                        Map.of(ReleaseGate.ACCURACY, 0.90, ReleaseGate.GUARD, 0.82));
        assertFalse(d.promote());
        assertTrue(d.reason().contains("guard"), d.reason());
    }

    @Test
    void shouldPromoteWhenTheGuardSetFallsWithinTheTolerance() {
        assertTrue(
                gate.decide(
                                Map.of(ReleaseGate.ACCURACY, 0.80, ReleaseGate.GUARD, 0.85),
                                Map.of(ReleaseGate.ACCURACY, 0.90, ReleaseGate.GUARD, 0.84))
                        .promote());
    }

    @Test
    void shouldRejectWhenOutOfScopeRecallFalls() {
        assertFalse(
                gate.decide(
                                Map.of(ReleaseGate.ACCURACY, 0.80, ReleaseGate.OOS_RECALL, 0.9),
                                Map.of(ReleaseGate.ACCURACY, 0.90, ReleaseGate.OOS_RECALL, 0.7))
                        .promote());
    }

    @Test
    void shouldRejectWhenThereIsNothingHeldOut() {
        assertFalse(gate.decide(Map.of(), Map.of()).promote());
    }

    @Test
    void shouldMeasureHeldOutAccuracyAndOutOfScopeRecallWhenOutOfScopeQueriesWereConfirmed() {
        SentenceEncoder words =
                new SentenceEncoder() {
                    private final List<String> keywords = List.of("password", "card", "weather");

                    @Override
                    public int dimension() {
                        return keywords.size();
                    }

                    @Override
                    public float[][] encode(List<String> texts) {
                        float[][] out = new float[texts.size()][keywords.size()];
                        for (int i = 0; i < texts.size(); i++) {
                            double n = 0;
                            for (int k = 0; k < keywords.size(); k++) {
                                out[i][k] = texts.get(i).contains(keywords.get(k)) ? 1 : 0;
                                n += out[i][k];
                            }
                            for (int k = 0; k < keywords.size(); k++) {
                                out[i][k] = n == 0 ? 0 : (float) (out[i][k] / Math.sqrt(n));
                            }
                        }
                        return out;
                    }

                    @Override
                    public void close() {}
                };
        List<LabelledText> catalog =
                List.of(
                        new LabelledText("reset password", "pw"),
                        new LabelledText("card declined", "card"));
        List<LabelledText> heldOut =
                List.of(
                        new LabelledText("new password", "pw"),
                        new LabelledText("my card", "card"),
                        new LabelledText("password card", "card"),
                        new LabelledText("the weather", LabelledText.OUT_OF_SCOPE));
        Map<String, Double> m = gate.evaluate(words, catalog, heldOut, 1);
        // "password card" ties; the smaller intent id wins, as services break ties
        assertEquals(1.0, m.get(ReleaseGate.ACCURACY), 1e-9);
        assertEquals(1.0, m.get(ReleaseGate.OOS_RECALL), 1e-9);
        assertEquals(4.0, m.get(ReleaseGate.HELDOUT_SIZE));
    }
}
