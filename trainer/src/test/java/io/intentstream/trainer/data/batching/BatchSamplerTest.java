package io.intentstream.trainer.data.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.intentstream.trainer.data.DataFormat;
import io.intentstream.trainer.data.InputExample;
import io.intentstream.trainer.data.LabelledPairs;
import io.intentstream.trainer.data.SharedDatasetFiles;
import io.intentstream.trainer.fit.ShuffledBatches;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchSamplerTest {

    /** 60 pairs over 6 labels, and every 10th pair repeats the anchor "shared". */
    private static List<InputExample> examples() {
        List<InputExample> out = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String anchor = i % 10 == 0 ? "shared" : "anchor " + i;
            out.add(new InputExample(List.of(anchor, "positive " + i), (float) (i % 6)));
        }
        return out;
    }

    private static void assertEachExampleExactlyOnce(
            List<InputExample> examples, List<List<InputExample>> batches) {
        Map<InputExample, Integer> seen = new IdentityHashMap<>();
        batches.forEach(b -> b.forEach(e -> seen.merge(e, 1, Integer::sum)));
        assertEquals(examples.size(), seen.size());
        examples.forEach(e -> assertEquals(1, seen.get(e), "example seen once: " + e));
    }

    @Test
    void shouldCutShuffledExamplesIntoFullBatchesAndOneRemainderWhenShuffling() {
        List<InputExample> examples = examples();
        List<List<InputExample>> batches = new ShuffledBatches(examples, 16, 5).batches(0);
        assertEquals(List.of(16, 16, 16, 12), batches.stream().map(List::size).toList());
        assertEachExampleExactlyOnce(examples, batches);
        assertEquals(batches, new ShuffledBatches(examples, 16, 5).batches(0));
        assertNotEquals(batches, new ShuffledBatches(examples, 16, 5).batches(1));
    }

    @Test
    void shouldNeverRepeatATextInABatchWhenAvoidingDuplicates() {
        List<InputExample> examples = examples();
        List<List<InputExample>> batches =
                new NoDuplicatesBatchSampler(16, false).batches(examples, 1);
        assertEachExampleExactlyOnce(examples, batches);
        for (List<InputExample> batch : batches) {
            assertTrue(batch.size() <= 16);
            Set<String> texts = new HashSet<>();
            batch.forEach(
                    e ->
                            e.texts()
                                    .forEach(
                                            t ->
                                                    assertTrue(
                                                            texts.add(t),
                                                            "repeated '" + t + "' in " + batch)));
        }
        // Six examples share "shared", so at least six batches are needed.
        assertTrue(batches.size() >= 6, "batches: " + batches.size());
    }

    @Test
    void shouldKeepSameLabelExamplesApartWhenLabelAware() {
        List<InputExample> examples = examples();
        List<List<InputExample>> batches =
                new NoDuplicatesBatchSampler(4, true).batches(examples, 2);
        assertEachExampleExactlyOnce(examples, batches);
        for (List<InputExample> batch : batches) {
            Set<Float> labels = new HashSet<>();
            batch.forEach(e -> assertTrue(labels.add(e.label()), "same label twice in " + batch));
        }
        assertEquals(batches, new NoDuplicatesBatchSampler(4, true).batches(examples, 2));
        assertNotEquals(batches, new NoDuplicatesBatchSampler(4, true).batches(examples, 3));
    }

    @Test
    void shouldEmitSmallerBatchesRatherThanDropExamplesWhenOnlyOneLabelIsLeft() {
        List<InputExample> examples =
                List.of(
                        new InputExample(List.of("a", "b"), 0f),
                        new InputExample(List.of("c", "d"), 0f),
                        new InputExample(List.of("e", "f"), 0f));
        List<List<InputExample>> batches =
                new NoDuplicatesBatchSampler(32, true).batches(examples, 9);
        assertEquals(List.of(1, 1, 1), batches.stream().map(List::size).toList());
        assertEachExampleExactlyOnce(examples, batches);
    }

    @Test
    void shouldFillNearlyEveryBatchWithDistinctIntentsWhenPairingBanking77() throws IOException {
        List<InputExample> pairs =
                LabelledPairs.anchorPositivePairs(
                        DataFormat.LABELLED.read(SharedDatasetFiles.require("banking77/train.csv")),
                        42);
        List<List<InputExample>> batches =
                new NoDuplicatesBatchSampler(32, true).batches(pairs, 42);
        assertEachExampleExactlyOnce(pairs, batches);
        for (List<InputExample> batch : batches) {
            assertEquals(batch.size(), batch.stream().map(InputExample::label).distinct().count());
        }
        // 77 intents of 35 to 187 utterances: only the tail of the epoch, where few intents are
        // left, should need smaller batches.
        long full = batches.stream().filter(b -> b.size() == 32).count();
        assertTrue(full >= 0.95 * pairs.size() / 32, full + " full batches of " + batches.size());
    }

    @Test
    void shouldReturnNoBatchesWhenThereAreNoExamples() {
        assertEquals(List.of(), new NoDuplicatesBatchSampler(8, true).batches(List.of(), 1));
    }
}
