package io.intentstream.trainer.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.intentstream.avro.IntentDefinition;
import io.intentstream.avro.TrainingExample;
import io.intentstream.trainer.data.InputExample;
import io.intentstream.trainer.job.TrainingSetStore.StoredExample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingDataTest {

    private static final Map<String, IntentDefinition> CATALOG = new LinkedHashMap<>();

    static {
        for (String id : List.of("a", "b", "c")) {
            CATALOG.put(id, IntentDefinition.newBuilder().setIntentId(id).setName(id).setRoute(id)
                    .setExamples(List.of(id + "-1", id + "-2")).build());
        }
    }

    private static StoredExample example(long seq, String id, String intent, String predicted) {
        return new StoredExample(seq, TrainingExample.newBuilder().setQueryId(id).setText("text " + id).setIntentId(intent)
                .setPredictedIntentId(predicted).setModelWasRight(intent != null && intent.equals(predicted))
                .setModelVersion("v1").setTimestamp(Instant.EPOCH).build());
    }

    @Test
    void shouldUseTheWronglyPredictedIntentAsHardNegativeWhenAMatchWasCorrected() {
        List<StoredExample> examples = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            examples.add(example(i, "q" + i, "a", "b"));
        }
        TrainingData data = TrainingData.build(examples, CATALOG, 0, Map.of("a", List.of("c")), 0.1, 100, 0, true, 1);
        assertTrue(data.training().size() > 150);
        for (InputExample e : data.training()) {
            assertTrue(e.text(1).startsWith("a-"), e.toString());
            assertTrue(e.text(2).startsWith("b-"), e.toString());
        }
    }

    @Test
    void shouldUseAConfusedIntentAsHardNegativeWhenTheModelWasRight() {
        List<StoredExample> examples = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            examples.add(example(i, "q" + i, "a", "a"));
        }
        TrainingData data = TrainingData.build(examples, CATALOG, 0, Map.of("a", List.of("c")), 0.1, 100, 0, true, 1);
        data.training().forEach(e -> assertTrue(e.text(2).startsWith("c-"), e.toString()));
    }

    @Test
    void shouldNeverTrainOnHeldOutExamplesAndReplayOnlyUpToTheLimit() {
        List<StoredExample> examples = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            examples.add(example(i, "q" + i, i % 2 == 0 ? "a" : "b", "a"));
        }
        TrainingData data = TrainingData.build(examples, CATALOG, 900, Map.of(), 0.2, 10_000, 50, false, 1);
        long heldOut = examples.stream().filter(s -> TrainingData.heldOut(s.example().getQueryId(), 0.2)).count();
        assertEquals(heldOut, data.heldOut().size());
        assertTrue(heldOut > 120 && heldOut < 280, "about a fifth held out: " + heldOut);
        long freshTrainable = examples.stream().filter(s -> s.sequence() >= 900 && !TrainingData.heldOut(s.example().getQueryId(), 0.2)).count();
        assertEquals(freshTrainable, data.newExamples());
        assertEquals(50, data.replayed());
        assertEquals(freshTrainable + 50, data.training().size());
        var heldTexts = data.heldOut().stream().map(t -> t.text()).toList();
        data.training().forEach(e -> assertTrue(!heldTexts.contains(e.text(0)), e.text(0)));
    }

    @Test
    void shouldKeepTheHeldOutSliceStableAcrossRuns() {
        for (int i = 0; i < 100; i++) {
            assertEquals(TrainingData.heldOut("query-" + i, 0.1), TrainingData.heldOut("query-" + i, 0.1));
        }
    }
}
