package io.intentstream.trainer.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.intentstream.avro.IntentDefinition;
import io.intentstream.avro.TrainingExample;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingSetStoreTest {

    @TempDir Path dir;

    private static TrainingExample example(String queryId, String intent) {
        return TrainingExample.newBuilder()
                .setQueryId(queryId)
                .setText("text of " + queryId)
                .setIntentId(intent)
                .setPredictedIntentId(intent)
                .setModelWasRight(true)
                .setModelVersion("v1")
                .setTimestamp(Instant.EPOCH)
                .build();
    }

    @Test
    void shouldKeepTheLatestFeedbackPerQueryAndSurviveAReopenWhenExamplesRepeat() {
        try (TrainingSetStore store = new TrainingSetStore(dir)) {
            store.write(
                    List.of(example("q1", "a"), example("q2", "b")),
                    Map.of(
                            "a",
                            IntentDefinition.newBuilder()
                                    .setIntentId("a")
                                    .setName("a")
                                    .setRoute("a")
                                    .setExamples(List.of("x"))
                                    .build()));
            store.write(List.of(example("q1", "c")), Map.of());
        }
        try (TrainingSetStore store = new TrainingSetStore(dir)) {
            List<TrainingSetStore.StoredExample> all = store.examples();
            assertEquals(2, all.size());
            assertEquals("c", all.get(0).example().getIntentId());
            assertEquals(2, all.get(0).sequence(), "a repeated query counts as new again");
            assertEquals(3, store.nextSequence());
            assertEquals(Map.of("a", "a"), Map.of("a", store.catalog().get("a").getRoute()));
        }
    }

    @Test
    void shouldCountOnlyExamplesAfterTheLastRunAsNewAndDeleteIntentsOnTombstones() {
        try (TrainingSetStore store = new TrainingSetStore(dir)) {
            Map<String, IntentDefinition> add =
                    Map.of(
                            "a",
                            IntentDefinition.newBuilder()
                                    .setIntentId("a")
                                    .setName("a")
                                    .setRoute("a")
                                    .setExamples(List.of("x"))
                                    .build());
            store.write(List.of(example("q1", "a"), example("q2", "a")), add);
            store.markTrained(store.nextSequence());
            store.write(List.of(example("q3", "a")), Map.of());
            assertEquals(1, store.newExamples());
            Map<String, IntentDefinition> delete = new HashMap<>();
            delete.put("a", null);
            store.write(List.of(), delete);
            assertEquals(0, store.catalog().size());
        }
    }
}
