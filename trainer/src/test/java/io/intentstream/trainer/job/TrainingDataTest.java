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
            CATALOG.put(
                    id,
                    IntentDefinition.newBuilder()
                            .setIntentId(id)
                            .setName(id)
                            .setRoute(id)
                            .setExamples(List.of(id + "-1", id + "-2"))
                            .build());
        }
    }

    private static StoredExample example(long seq, String id, String intent, String predicted) {
        return new StoredExample(
                seq,
                TrainingExample.newBuilder()
                        .setQueryId(id)
                        .setText("text " + id)
                        .setIntentId(intent)
                        .setPredictedIntentId(predicted)
                        .setModelWasRight(intent != null && intent.equals(predicted))
                        .setModelVersion("v1")
                        .setTimestamp(Instant.EPOCH)
                        .build());
    }

    @Test
    void shouldUseTheWronglyPredictedIntentAsHardNegativeWhenAMatchWasCorrected() {
        List<StoredExample> examples = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            examples.add(example(i, "q" + i, "a", "b"));
        }
        TrainingData data =
                TrainingData.build(
                        examples,
                        CATALOG,
                        0,
                        Map.of("a", List.of("c")),
                        new TrainingData.Settings(0.1, 100, 0, true, 0, 1));
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
        TrainingData data =
                TrainingData.build(
                        examples,
                        CATALOG,
                        0,
                        Map.of("a", List.of("c")),
                        new TrainingData.Settings(0.1, 100, 0, true, 0, 1));
        data.training().forEach(e -> assertTrue(e.text(2).startsWith("c-"), e.toString()));
    }

    @Test
    void shouldNeverTrainOnHeldOutExamplesAndReplayOnlyUpToTheLimit() {
        List<StoredExample> examples = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            examples.add(example(i, "q" + i, i % 2 == 0 ? "a" : "b", "a"));
        }
        TrainingData data =
                TrainingData.build(
                        examples,
                        CATALOG,
                        900,
                        Map.of(),
                        new TrainingData.Settings(0.2, 10_000, 50, false, 0, 1));
        long heldOut =
                examples.stream()
                        .filter(s -> TrainingData.heldOut(s.example().getQueryId(), 0.2))
                        .count();
        assertEquals(heldOut, data.heldOut().size());
        assertTrue(heldOut > 120 && heldOut < 280, "about a fifth held out: " + heldOut);
        long freshTrainable =
                examples.stream()
                        .filter(
                                s ->
                                        s.sequence() >= 900
                                                && !TrainingData.heldOut(
                                                        s.example().getQueryId(), 0.2))
                        .count();
        assertEquals(freshTrainable, data.newExamples());
        assertEquals(50, data.replayed());
        assertEquals(freshTrainable + 50, data.training().size());
        var heldTexts = data.heldOut().stream().map(t -> t.text()).toList();
        data.training().forEach(e -> assertTrue(!heldTexts.contains(e.text(0)), e.text(0)));
    }

    @Test
    void shouldShipTheMostRecentDistinctConfirmedQueriesPerIntentButNoHeldOutOne() {
        List<StoredExample> examples = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            examples.add(example(i, "q" + i, i % 2 == 0 ? "a" : "b", "a"));
        }
        examples.add(example(400, "dup", "a", "a")); // the same text as an utterance of a
        examples.set(
                400,
                new StoredExample(
                        400,
                        TrainingExample.newBuilder(examples.get(400).example())
                                .setText("A-1 ")
                                .build()));
        TrainingData data =
                TrainingData.build(
                        examples,
                        CATALOG,
                        0,
                        Map.of(),
                        new TrainingData.Settings(0.2, 10_000, 0, false, 30, 1));

        var heldTexts = data.heldOut().stream().map(t -> t.text()).toList();
        for (String intent : List.of("a", "b")) {
            List<String> shipped = data.exemplars().get(intent);
            assertEquals(30, shipped.size(), intent);
            assertEquals(30, shipped.stream().distinct().count(), intent);
            shipped.forEach(
                    t ->
                            assertTrue(
                                    !heldTexts.contains(t) && !t.strip().equalsIgnoreCase("a-1"),
                                    t));
            // Most recent first: the newest trainable query of the intent leads.
            String newest =
                    examples.stream()
                            .filter(
                                    e ->
                                            intent.equals(e.example().getIntentId())
                                                    && !TrainingData.heldOut(
                                                            e.example().getQueryId(), 0.2))
                            .filter(e -> !e.example().getText().strip().equalsIgnoreCase("a-1"))
                            .reduce((x, y) -> y)
                            .orElseThrow()
                            .example()
                            .getText();
            assertEquals(newest, shipped.get(0));
        }
        assertEquals(CATALOG.size() * 2 + 60, data.matchingTexts().size());
    }

    @Test
    void shouldDrawPositivesFromExemplarsTooButNeverTheQueryItself() {
        List<StoredExample> examples = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            examples.add(example(i, "q" + i, "a", "a"));
        }
        TrainingData data =
                TrainingData.build(
                        examples,
                        CATALOG,
                        0,
                        Map.of(),
                        new TrainingData.Settings(0.1, 100, 0, false, 500, 1));
        long fromExemplars =
                data.training().stream().filter(e -> e.text(1).startsWith("text ")).count();
        assertTrue(
                fromExemplars > data.training().size() / 2,
                "positives from confirmed queries: " + fromExemplars);
        data.training().forEach(e -> assertTrue(!e.text(0).equals(e.text(1)), e.toString()));
    }

    @Test
    void shouldMatchAnotherReleasesExemplarsOnlyForIntentsStillInTheCatalog() {
        TrainingData data =
                TrainingData.build(
                        List.of(),
                        CATALOG,
                        0,
                        Map.of(),
                        new TrainingData.Settings(0.1, 100, 0, false, 10, 1));
        var texts = data.matchingTexts(Map.of("a", List.of("old a"), "gone", List.of("old gone")));
        assertEquals(CATALOG.size() * 2 + 1, texts.size());
        assertTrue(texts.contains(new io.intentstream.trainer.data.LabelledText("old a", "a")));
    }

    @Test
    void shouldShipNoExemplarsWhenTurnedOff() {
        List<StoredExample> examples = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            examples.add(example(i, "q" + i, "a", "a"));
        }
        TrainingData data =
                TrainingData.build(
                        examples,
                        CATALOG,
                        0,
                        Map.of(),
                        new TrainingData.Settings(0.1, 100, 0, false, 0, 1));
        assertTrue(data.exemplars().isEmpty());
        assertEquals(data.catalogUtterances(), data.matchingTexts());
        data.training().forEach(e -> assertTrue(e.text(1).startsWith("a-"), e.toString()));
    }

    @Test
    void shouldKeepTheHeldOutSliceStableAcrossRuns() {
        for (int i = 0; i < 100; i++) {
            assertEquals(
                    TrainingData.heldOut("query-" + i, 0.1),
                    TrainingData.heldOut("query-" + i, 0.1));
        }
    }
}
