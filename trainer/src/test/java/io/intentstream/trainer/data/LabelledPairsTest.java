package io.intentstream.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelledPairsTest {

    private final List<InputExample> utterances =
            LabelledPairs.indexed(
                    List.of(
                            new LabelledText("a1", "a"),
                            new LabelledText("a2", "a"),
                            new LabelledText("a3", "a"),
                            new LabelledText("b1", "b"),
                            new LabelledText("b2", "b"),
                            new LabelledText("c1", "c")));

    @Test
    void shouldUseEveryUtteranceOnceAsAnchorAndOnceAsPositiveWithinItsLabel() {
        List<InputExample> pairs = LabelledPairs.anchorPositivePairs(utterances, 7);
        // c has a single utterance and no positive.
        assertEquals(5, pairs.size());
        Map<String, Integer> anchors = new HashMap<>();
        Map<String, Integer> positives = new HashMap<>();
        for (InputExample p : pairs) {
            assertNotEquals(p.text(0), p.text(1));
            assertEquals(p.text(0).charAt(0), p.text(1).charAt(0), "same label");
            assertEquals(p.text(0).startsWith("a") ? 0f : 1f, p.label());
            anchors.merge(p.text(0), 1, Integer::sum);
            positives.merge(p.text(1), 1, Integer::sum);
        }
        assertEquals(Map.of("a1", 1, "a2", 1, "a3", 1, "b1", 1, "b2", 1), anchors);
        assertEquals(anchors, positives);
    }

    @Test
    void shouldGiveTheSamePairsWhenTheSeedIsTheSame() {
        assertEquals(
                LabelledPairs.anchorPositivePairs(utterances, 3),
                LabelledPairs.anchorPositivePairs(utterances, 3));
        List<List<InputExample>> seen = new ArrayList<>();
        for (long seed = 0; seed < 20; seed++) {
            seen.add(LabelledPairs.anchorPositivePairs(utterances, seed));
        }
        // a's three utterances form one of two cycles, so some seeds must differ.
        assertNotEquals(1, seen.stream().distinct().count());
    }

    @Test
    void shouldDrawNegativesFromOtherLabelsWhenBuildingTriplets() {
        List<InputExample> triplets = LabelledPairs.triplets(utterances, 11);
        List<InputExample> pairs = LabelledPairs.anchorPositivePairs(utterances, 11);
        assertEquals(pairs.size(), triplets.size());
        for (int i = 0; i < triplets.size(); i++) {
            InputExample t = triplets.get(i);
            assertEquals(pairs.get(i).texts(), t.texts().subList(0, 2));
            assertNotEquals(
                    t.text(0).charAt(0), t.text(2).charAt(0), "negative of another label: " + t);
        }
        assertEquals(triplets, LabelledPairs.triplets(utterances, 11));
    }

    @Test
    void shouldRefuseTripletsWhenThereIsOnlyOneLabel() {
        List<InputExample> one =
                LabelledPairs.indexed(
                        List.of(new LabelledText("x", "a"), new LabelledText("y", "a")));
        assertThrows(IllegalArgumentException.class, () -> LabelledPairs.triplets(one, 1));
    }
}
