package io.intentstream.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.intentstream.encoder.DjlSentenceEncoder;
import io.intentstream.encoder.ModelLoader;
import io.intentstream.encoder.SentenceModel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HardNegativeMinerTest {

    private static final List<InputExample> LABELLED =
            List.of(
                    new InputExample(List.of("I lost my card"), 0f),
                    new InputExample(List.of("my card is missing, I cannot find it"), 0f),
                    new InputExample(List.of("when will my new card arrive"), 1f),
                    new InputExample(List.of("my new card still has not come in the post"), 1f),
                    new InputExample(List.of("I want my money back for this order"), 2f),
                    new InputExample(List.of("please refund the purchase"), 2f));

    @Test
    void eachPairGetsTheClosestUtteranceOfAnotherLabel() {
        List<InputExample> pairs = LabelledPairs.anchorPositivePairs(LABELLED, 7);
        Map<String, Float> labelOf = new HashMap<>();
        LABELLED.forEach(e -> labelOf.put(e.text(0), e.label()));
        try (SentenceModel model = ModelLoader.load("default", Device.cpu());
                DjlSentenceEncoder encoder = new DjlSentenceEncoder(model)) {
            List<InputExample> mined = HardNegativeMiner.mine(pairs, LABELLED, encoder);

            assertEquals(pairs.size(), mined.size());
            for (int i = 0; i < pairs.size(); i++) {
                InputExample m = mined.get(i);
                assertEquals(
                        pairs.get(i).texts(),
                        m.texts().subList(0, 2),
                        "anchor and positive kept, in order");
                assertEquals(pairs.get(i).label(), m.label());
                assertNotEquals(
                        m.label(),
                        labelOf.get(m.text(2)),
                        "a negative never shares the anchor's label: " + m);
                // The closest other-label utterance: no utterance of another label scores higher.
                float chosen = dot(encoder.encode(m.text(0)), encoder.encode(m.text(2)));
                for (InputExample e : LABELLED) {
                    if (!e.label().equals(m.label())) {
                        assertTrue(
                                dot(encoder.encode(m.text(0)), encoder.encode(e.text(0)))
                                        <= chosen + 1e-5f,
                                m + " vs " + e);
                    }
                }
            }
            // A lost card is closer to a card that has not arrived than to a refund.
            InputExample lost =
                    mined.stream()
                            .filter(m -> m.text(0).equals("I lost my card"))
                            .findFirst()
                            .orElseThrow();
            assertTrue(
                    Set.of(
                                    "when will my new card arrive",
                                    "my new card still has not come in the post")
                            .contains(lost.text(2)),
                    lost.toString());
        }
    }

    private static float dot(float[] a, float[] b) {
        float s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }
}
