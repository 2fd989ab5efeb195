package io.intentstream.streams.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.intentstream.avro.FeedbackOutcome;
import io.intentstream.avro.IntentCandidate;
import io.intentstream.avro.IntentDefinition;
import io.intentstream.avro.IntentEmbedding;
import io.intentstream.avro.IntentMatch;
import io.intentstream.avro.MatchDecision;
import io.intentstream.avro.MatchFeedback;
import io.intentstream.avro.SupportQuery;
import io.intentstream.avro.TrainingExample;
import io.intentstream.encoder.DefaultModel;
import io.intentstream.encoder.DjlSentenceEncoder;
import io.intentstream.encoder.SentenceEncoder;
import io.intentstream.encoder.SentenceModel;
import io.intentstream.matching.ScoredIntent;
import io.intentstream.schemas.AvroSerde;
import io.intentstream.schemas.DeadLetters;
import io.intentstream.schemas.EmbeddingVectors;
import io.intentstream.schemas.Topic;
import io.intentstream.schemas.Topics;
import io.intentstream.streams.config.IntentStreamConfig;
import io.intentstream.streams.errors.DeadLetterRecords;
import io.intentstream.streams.http.HttpEndpoint;
import io.intentstream.streams.http.IntentLookup;
import io.intentstream.streams.metrics.ServiceMetrics;
import io.intentstream.streams.model.IntentIndexCache;
import io.intentstream.streams.model.ModelRegistry;
import io.intentstream.streams.model.ServingModel;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole topology in {@code TopologyTestDriver}, with the real default encoder (loaded once) and
 * real RocksDB stores.
 */
class IntentTopologyTest {

    private static final String PREFIX = "t.";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static SentenceModel model;

    @TempDir Path stateDir;

    private ModelRegistry registry;
    private ServiceMetrics metrics;
    private IntentStreamConfig config;
    private IntentIndexCache indexCache;
    private TopologyTestDriver driver;
    private TestInputTopic<String, IntentDefinition> intents;
    private TestInputTopic<String, SupportQuery> queries;
    private TestInputTopic<byte[], byte[]> rawQueries;
    private TestInputTopic<String, MatchFeedback> feedback;
    private TestOutputTopic<String, IntentMatch> matches;
    private TestOutputTopic<String, IntentMatch> fallbacks;
    private TestOutputTopic<String, TrainingExample> training;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private TestOutputTopic<String, IntentEmbedding> embeddings;

    @BeforeAll
    static void loadModel() {
        model = DefaultModel.load(Device.cpu());
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    @BeforeEach
    void startDriver() {
        start(Map.of());
    }

    private void start(Map<String, Object> overrides) {
        if (driver != null) {
            closeDriver();
        }
        Map<String, Object> settings = new HashMap<>();
        settings.put(IntentStreamConfig.APPLICATION_ID_CONFIG, "topology-test");
        settings.put(IntentStreamConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        settings.put(IntentStreamConfig.TOPIC_PREFIX_CONFIG, PREFIX);
        settings.put(IntentStreamConfig.BATCH_MAX_SIZE_CONFIG, 4);
        settings.put(IntentStreamConfig.BATCH_MAX_WAIT_MS_CONFIG, 10L);
        settings.put(IntentStreamConfig.TOP_K_CONFIG, 3);
        settings.put(IntentStreamConfig.THRESHOLD_CONFIG, 0.5);
        settings.put(
                IntentStreamConfig.STREAMS_PREFIX + StreamsConfig.STATE_DIR_CONFIG,
                stateDir.toString());
        settings.putAll(overrides);
        config = new IntentStreamConfig(settings);
        metrics = ServiceMetrics.noop();
        registry =
                new ModelRegistry(new ServingModel("v1", new DjlSentenceEncoder(model), () -> {}));
        indexCache = new IntentIndexCache();
        Topology topology = IntentTopology.build(config, registry, indexCache, metrics);
        Properties props = config.streamsProperties(Map.of(ServiceMetrics.CONFIG_KEY, metrics));
        driver = new TopologyTestDriver(topology, props, T0);
        intents = input(Topics.INTENTS);
        queries = input(Topics.QUERIES);
        feedback = input(Topics.FEEDBACK);
        rawQueries =
                driver.createInputTopic(
                        PREFIX + "queries", new ByteArraySerializer(), new ByteArraySerializer());
        matches = output(Topics.MATCHES);
        fallbacks = output(Topics.FALLBACKS);
        training = output(Topics.TRAINING_EXAMPLES);
        embeddings = output(Topics.INTENT_EMBEDDINGS);
        deadLetters = output(Topics.DEAD_LETTERS);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
        registry.close();
        driver = null;
    }

    private <V> TestInputTopic<String, V> input(Topic<String, V> topic) {
        Topic<String, V> t = topic.withPrefix(PREFIX);
        return driver.createInputTopic(
                t.name(),
                new StringSerializer(),
                t.valueSerde().serializer(),
                T0,
                Duration.ofMillis(1));
    }

    private <K, V> TestOutputTopic<K, V> output(Topic<K, V> topic) {
        Topic<K, V> t = topic.withPrefix(PREFIX);
        return driver.createOutputTopic(
                t.name(), t.keySerde().deserializer(), t.valueSerde().deserializer());
    }

    private void loadCatalog() {
        intents.pipeInput(
                "card_lost",
                intent(
                        "card_lost",
                        "cards",
                        null,
                        "I lost my card",
                        "my bank card was stolen",
                        "I can't find my credit card anywhere"));
        intents.pipeInput(
                "refund",
                intent(
                        "refund",
                        "billing",
                        null,
                        "I want my money back",
                        "how do I get a refund for my order",
                        "please refund the payment"));
        intents.pipeInput(
                "password_reset",
                intent(
                        "password_reset",
                        "accounts",
                        null,
                        "I forgot my password",
                        "how do I reset my login password",
                        "I can't log in to my account"));
    }

    private static IntentDefinition intent(
            String id, String route, Float threshold, String... examples) {
        return IntentDefinition.newBuilder()
                .setIntentId(id)
                .setName(id.replace('_', ' '))
                .setRoute(route)
                .setExamples(List.of(examples))
                .setThreshold(threshold)
                .build();
    }

    private static SupportQuery query(String id, String text) {
        return SupportQuery.newBuilder()
                .setQueryId(id)
                .setText(text)
                .setChannel("chat")
                .setTimestamp(T0)
                .build();
    }

    /** Lets a partly filled batch go: the buffer flushes on wall-clock punctuation. */
    private void flush() {
        driver.advanceWallClockTime(Duration.ofMillis(20));
    }

    @Test
    void shouldMatchWithTopKScoresAndModelVersionWhenQueryIsCloseToAnIntent() {
        loadCatalog();

        queries.pipeInput("q1", query("q1", "somebody stole my credit card"));
        flush();

        List<KeyValue<String, IntentMatch>> out = matches.readKeyValuesToList();
        assertEquals(1, out.size());
        IntentMatch match = out.get(0).value;
        assertEquals("q1", out.get(0).key);
        assertEquals(MatchDecision.MATCHED, match.getDecision());
        assertEquals("card_lost", match.getChosenIntentId());
        assertEquals("cards", match.getRoute());
        assertEquals("v1", match.getModelVersion());
        assertEquals(3, match.getCandidates().size());
        List<Float> scores = match.getCandidates().stream().map(IntentCandidate::getScore).toList();
        assertTrue(
                scores.get(0) >= scores.get(1) && scores.get(1) >= scores.get(2),
                "best first: " + scores);
        assertTrue(scores.get(0) > 0.5f, "score " + scores.get(0));
        assertEquals(
                Set.of("card_lost", "refund", "password_reset"),
                new HashSet<>(
                        match.getCandidates().stream().map(IntentCandidate::getIntentId).toList()));
        assertEquals(1, match.getBatchSize());
        assertTrue(fallbacks.isEmpty());
    }

    @Test
    void shouldEmbedQueriesTogetherWhenBatchFillsUp() {
        loadCatalog();

        for (int i = 0; i < 4; i++) {
            queries.pipeInput(
                    "b" + i,
                    query("b" + i, i % 2 == 0 ? "I need a refund" : "reset my password please"));
        }

        List<IntentMatch> out = matches.readValuesToList();
        assertEquals(4, out.size(), "a full batch flushes without waiting");
        assertEquals(
                List.of("b0", "b1", "b2", "b3"),
                out.stream().map(IntentMatch::getQueryId).toList());
        assertTrue(out.stream().allMatch(m -> m.getBatchSize() == 4));
        // The first query waited for the other three; the last one joined just before the flush.
        assertTrue(out.get(0).getQueuedMicros() > 0, "queued " + out.get(0).getQueuedMicros());
        assertTrue(
                out.get(0).getQueuedMicros() >= out.get(3).getQueuedMicros(),
                out.get(0).getQueuedMicros() + " < " + out.get(3).getQueuedMicros());
        assertEquals(
                List.of("refund", "password_reset", "refund", "password_reset"),
                out.stream().map(IntentMatch::getChosenIntentId).toList());
    }

    @Test
    void shouldFallBackWhenNothingIsCloseEnough() {
        loadCatalog();

        queries.pipeInput("q2", query("q2", "the volcano on the island erupted last night"));
        flush();

        assertTrue(matches.isEmpty());
        IntentMatch fallback = fallbacks.readValue();
        assertEquals(MatchDecision.FALLBACK, fallback.getDecision());
        assertNull(fallback.getChosenIntentId());
        assertEquals("below-threshold", fallback.getFallbackReason());
        assertEquals("v1", fallback.getModelVersion());
        assertEquals(3, fallback.getCandidates().size(), "candidates are kept for triage");
    }

    @Test
    void shouldUseIntentThresholdWhenIntentSetsOne() {
        loadCatalog();
        intents.pipeInput(
                "card_lost",
                intent("card_lost", "cards", 0.99f, "I lost my card", "my bank card was stolen"));

        queries.pipeInput("q3", query("q3", "somebody stole my credit card"));
        flush();

        IntentMatch fallback = fallbacks.readValue();
        assertEquals("card_lost", fallback.getCandidates().get(0).getIntentId());
        assertEquals("below-threshold", fallback.getFallbackReason());
    }

    @Test
    void shouldDeadLetterPoisonPillAndContinueWhenBytesAreNotAvro() {
        startWithoutTransactions();
        loadCatalog();

        rawQueries.pipeInput(
                "p1".getBytes(StandardCharsets.UTF_8),
                "{not avro at all".getBytes(StandardCharsets.UTF_8));
        queries.pipeInput("q4", query("q4", "I forgot my password"));
        flush();

        TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
        assertEquals("p1", new String(dead.key(), StandardCharsets.UTF_8));
        assertEquals("{not avro at all", new String(dead.value(), StandardCharsets.UTF_8));
        assertEquals(
                DeadLetters.REASON_BAD_HEADER,
                DeadLetters.header(dead.headers(), DeadLetters.REASON_HEADER));
        assertEquals(
                PREFIX + "queries",
                DeadLetters.header(dead.headers(), DeadLetters.STREAMS_TOPIC_HEADER));
        assertNotNull(DeadLetters.header(dead.headers(), DeadLetters.STREAMS_OFFSET_HEADER));
        assertEquals(1.0, metrics.deadLetterCount(DeadLetters.REASON_BAD_HEADER));
        assertEquals(
                "password_reset", matches.readValue().getChosenIntentId(), "processing continues");
    }

    @Test
    void shouldSkipUndecodableIntentVectorsWhenGlobalTopicHasThem() {
        loadCatalog();
        TestInputTopic<byte[], byte[]> rawEmbeddings =
                driver.createInputTopic(
                        PREFIX + "intent-embeddings",
                        new ByteArraySerializer(),
                        new ByteArraySerializer());

        rawEmbeddings.pipeInput("v1/bad".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});
        queries.pipeInput("g1", query("g1", "I forgot my password"));
        flush();

        KeyValueStore<String, IntentEmbedding> store =
                driver.getKeyValueStore(IntentTopology.INTENT_EMBEDDINGS_STORE);
        assertNull(store.get("v1/bad"), "the undecodable record is skipped");
        assertEquals(
                "password_reset",
                matches.readValue().getChosenIntentId(),
                "the global store keeps serving");
    }

    @Test
    void shouldLeaveOutOnlyTheBrokenIntentWhenItsVectorRecordIsMalformed() {
        loadCatalog();
        flush();
        TestInputTopic<String, IntentEmbedding> vectorsIn = input(Topics.INTENT_EMBEDDINGS);
        // Well-formed Avro, but 10 bytes where 384 floats per vector are expected.
        vectorsIn.pipeInput(
                "v1/password_reset",
                IntentEmbedding.newBuilder()
                        .setModelVersion("v1")
                        .setIntentId("password_reset")
                        .setRoute("accounts")
                        .setDimension(384)
                        .setVectors(ByteBuffer.wrap(new byte[10]))
                        .build());

        queries.pipeInput("b1", query("b1", "how do I get a refund for my order"));
        queries.pipeInput("b2", query("b2", "I forgot my password"));
        flush();

        List<IntentMatch> outcomes = new ArrayList<>(matches.readValuesToList());
        outcomes.addAll(fallbacks.readValuesToList());
        assertEquals(2, outcomes.size(), "both queries are answered");
        assertEquals(
                "refund",
                outcomes.stream()
                        .filter(m -> m.getQueryId().equals("b1"))
                        .findFirst()
                        .orElseThrow()
                        .getChosenIntentId(),
                "the other intents keep matching");
        assertTrue(
                outcomes.stream()
                        .filter(m -> m.getQueryId().equals("b2"))
                        .flatMap(m -> m.getCandidates().stream())
                        .noneMatch(c -> c.getIntentId().equals("password_reset")),
                "the broken intent is left out");
        assertEquals(Set.of("v1/password_reset"), indexCache.invalidRecords());
        assertEquals(
                1.0,
                metrics.registry().get("intentstream.intent.vectors.invalid").counter().count(),
                "counted once, as it arrived");
        assertTrue(
                deadLetters.isEmpty(), "nothing was dead-lettered, so nothing is counted as such");
    }

    @Test
    void shouldDeadLetterATruncatedCopyWhenTheRejectedQueryIsLargerThanADeadLetterMayBe() {
        loadCatalog();
        // About 1 MB: the broker takes it, but a whole copy with headers would exceed what the
        // producer may send.
        queries.pipeInput("huge", query("huge", "x".repeat(1_048_300)));
        queries.pipeInput("after", query("after", "I forgot my password"));
        flush();

        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertEquals(1, dead.size());
        TestRecord<byte[], byte[]> letter = dead.get(0);
        int size = letter.value().length + (letter.key() == null ? 0 : letter.key().length);
        for (var h : letter.headers()) {
            size += h.key().length() + (h.value() == null ? 0 : h.value().length);
        }
        assertTrue(
                size <= DeadLetterRecords.DEFAULT_MAX_BYTES, "dead letter of " + size + " bytes");
        assertEquals("true", DeadLetters.header(letter.headers(), DeadLetters.TRUNCATED_HEADER));
        assertEquals(
                DeadLetters.REASON_TEXT_TOO_LONG,
                DeadLetters.header(letter.headers(), DeadLetters.REASON_HEADER));
        assertTrue(
                Long.parseLong(
                                DeadLetters.header(
                                        letter.headers(), DeadLetters.ORIGINAL_SIZE_HEADER))
                        > 1_048_300);
        assertEquals(
                "password_reset",
                matches.readValue().getChosenIntentId(),
                "the next query is answered");
    }

    @Test
    void shouldSplitAnIntentOfTenThousandUtterancesOverRecordsThatFitAndMatchItAsOne() {
        loadCatalog();
        String[] examples = new String[10_000];
        for (int i = 0; i < examples.length; i++) {
            examples[i] = "question " + i + " about the interest on my savings account";
        }
        intents.pipeInput("savings", intent("savings", "accounts", null, examples));
        flush();

        AvroSerde<IntentEmbedding> serde = AvroSerde.of(IntentEmbedding.class);
        List<TestRecord<String, IntentEmbedding>> written =
                embeddings.readRecordsToList().stream()
                        .filter(r -> r.key().startsWith("v1/savings"))
                        .toList();
        assertEquals(30, written.size(), "10,000 vectors of 384 floats in records of 341");
        for (TestRecord<String, IntentEmbedding> r : written) {
            int bytes = serde.serialize("t", r.value()).length;
            assertTrue(bytes < 1024 * 1024, r.key() + ": " + bytes + " bytes");
        }
        queries.pipeInput("s1", query("s1", "what interest do I get on my savings account"));
        flush();
        IntentMatch match = matches.readValue();
        assertEquals("savings", match.getChosenIntentId());
        assertEquals(
                1,
                match.getCandidates().stream()
                        .filter(c -> c.getIntentId().equals("savings"))
                        .count(),
                "one intent, however many records");
        assertEquals(Set.of(), indexCache.invalidRecords());

        // Fewer utterances: the parts the new write does not overwrite are deleted.
        intents.pipeInput("savings", intent("savings", "accounts", null, "interest on my savings"));
        flush();
        List<TestRecord<String, IntentEmbedding>> rewritten =
                embeddings.readRecordsToList().stream()
                        .filter(r -> r.key().startsWith("v1/savings"))
                        .toList();
        assertEquals("v1/savings", rewritten.get(0).key());
        assertEquals(1, rewritten.get(0).value().getParts());
        assertEquals(29, rewritten.stream().filter(r -> r.value() == null).count());
        KeyValueStore<String, IntentEmbedding> store =
                driver.getKeyValueStore(IntentTopology.INTENT_EMBEDDINGS_STORE);
        try (var it =
                store.prefixScan(
                        "v1/savings",
                        new org.apache.kafka.common.serialization.StringSerializer())) {
            assertEquals(
                    1,
                    java.util.stream.StreamSupport.stream(
                                    java.util.Spliterators.spliteratorUnknownSize(it, 0), false)
                            .count());
        }
    }

    @Test
    void shouldDeadLetterAnIntentWhoseEmbeddingRunsOutOfMemoryAndKeepGoing() {
        DjlSentenceEncoder real = new DjlSentenceEncoder(model);
        registry.swap(
                new ServingModel(
                        "v1",
                        new io.intentstream.encoder.SentenceEncoder() {
                            @Override
                            public int dimension() {
                                return real.dimension();
                            }

                            @Override
                            public float[][] encode(List<String> texts) {
                                if (texts.stream().anyMatch(t -> t.contains("enormous"))) {
                                    throw new OutOfMemoryError(
                                            "Java heap space"); // as a failed allocation does
                                }
                                return real.encode(texts);
                            }

                            @Override
                            public void close() {
                                real.close();
                            }
                        },
                        () -> {}));
        intents.pipeInput("too_big", intent("too_big", "x", null, "an enormous intent"));
        loadCatalog();
        queries.pipeInput("after", query("after", "I forgot my password"));
        flush();

        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertEquals(1, dead.size());
        assertEquals(
                DeadLetters.REASON_PROCESSING_ERROR,
                DeadLetters.header(dead.get(0).headers(), DeadLetters.REASON_HEADER));
        assertEquals(
                "password_reset", matches.readValue().getChosenIntentId(), "the thread goes on");
        KeyValueStore<String, IntentDefinition> catalogStore =
                driver.getKeyValueStore(IntentTopology.CATALOG_STORE);
        assertNull(catalogStore.get("too_big"), "not kept, so the catalog check does not retry it");
    }

    @Test
    void shouldDeadLetterAnIntentWithMoreExamplesThanAllowed() {
        start(Map.of(IntentStreamConfig.CATALOG_MAX_EXAMPLES_CONFIG, 3));
        intents.pipeInput("wordy", intent("wordy", "x", null, "one", "two", "three", "four"));
        flush();

        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertEquals(1, dead.size());
        assertEquals(
                DeadLetters.REASON_INVALID_INTENT,
                DeadLetters.header(dead.get(0).headers(), DeadLetters.REASON_HEADER));
        assertTrue(embeddings.isEmpty(), "nothing embedded");
    }

    @Test
    void shouldDeadLetterWhenTextIsEmptyOrTooLong() {
        start(Map.of(IntentStreamConfig.QUERY_MAX_CHARS_CONFIG, 100));
        loadCatalog();

        queries.pipeInput("e1", query("e1", "   \t\n"));
        queries.pipeInput("e2", query("e2", "refund ".repeat(50)));
        flush();

        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertEquals(2, dead.size());
        assertEquals(
                DeadLetters.REASON_EMPTY_TEXT,
                DeadLetters.header(dead.get(0).headers(), DeadLetters.REASON_HEADER));
        assertEquals(
                DeadLetters.REASON_TEXT_TOO_LONG,
                DeadLetters.header(dead.get(1).headers(), DeadLetters.REASON_HEADER));
        String detail = DeadLetters.header(dead.get(1).headers(), DeadLetters.DETAIL_HEADER);
        assertFalse(detail.contains("refund"), "headers never carry query text: " + detail);
        assertTrue(matches.isEmpty() && fallbacks.isEmpty());
    }

    @Test
    void shouldEmitTrainingExampleWhenFeedbackJoinsItsMatch() {
        loadCatalog();
        queries.pipeInput("q5", query("q5", "somebody stole my credit card"));
        queries.pipeInput("q6", query("q6", "somebody stole my credit card"));
        flush();
        assertEquals(2, matches.readValuesToList().size());

        feedback.pipeInput("q5", feedback("q5", FeedbackOutcome.CONFIRMED, null));
        feedback.pipeInput("q6", feedback("q6", FeedbackOutcome.CORRECTED, "refund"));

        List<TrainingExample> examples = training.readValuesToList();
        assertEquals(2, examples.size());
        TrainingExample confirmed = examples.get(0);
        assertEquals("q5", confirmed.getQueryId());
        assertEquals("somebody stole my credit card", confirmed.getText());
        assertEquals("card_lost", confirmed.getIntentId());
        assertTrue(confirmed.getModelWasRight());
        assertEquals("v1", confirmed.getModelVersion());
        TrainingExample corrected = examples.get(1);
        assertEquals("refund", corrected.getIntentId());
        assertEquals("card_lost", corrected.getPredictedIntentId());
        assertFalse(corrected.getModelWasRight());
    }

    @Test
    void shouldDeadLetterFeedbackWhenQueryOrIntentIsUnknown() {
        loadCatalog();
        queries.pipeInput("q7", query("q7", "how do I get my money back"));
        flush();

        feedback.pipeInput("nope", feedback("nope", FeedbackOutcome.CONFIRMED, null));
        feedback.pipeInput("q7", feedback("q7", FeedbackOutcome.CORRECTED, "no_such_intent"));

        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertEquals(
                List.of(DeadLetters.REASON_UNKNOWN_QUERY, DeadLetters.REASON_UNKNOWN_INTENT),
                dead.stream()
                        .map(r -> DeadLetters.header(r.headers(), DeadLetters.REASON_HEADER))
                        .toList());
        assertTrue(training.isEmpty());
    }

    @Test
    void shouldUpdateIntentStoreWhenCatalogAddsEditsAndDeletesIntents() {
        KeyValueStore<String, IntentEmbedding> store =
                driver.getKeyValueStore(IntentTopology.INTENT_EMBEDDINGS_STORE);
        loadCatalog();
        assertEquals(Set.of("v1/card_lost", "v1/refund", "v1/password_reset"), keys(store));
        assertEquals(3, EmbeddingVectors.unpack(store.get("v1/refund").getVectors(), 384).length);

        intents.pipeInput("refund", intent("refund", "billing-2", null, "I want my money back"));
        assertEquals(
                1,
                EmbeddingVectors.unpack(store.get("v1/refund").getVectors(), 384).length,
                "edit replaces the vectors");
        assertEquals("billing-2", store.get("v1/refund").getRoute());

        intents.pipeInput("refund", (IntentDefinition) null);
        assertEquals(
                Set.of("v1/card_lost", "v1/password_reset"),
                keys(store),
                "tombstone removes the intent");

        queries.pipeInput("q8", query("q8", "please refund the payment"));
        flush();
        List<IntentMatch> all = new ArrayList<>(matches.readValuesToList());
        all.addAll(fallbacks.readValuesToList());
        assertEquals(1, all.size());
        assertTrue(
                all.get(0).getCandidates().stream()
                        .noneMatch(c -> c.getIntentId().equals("refund")),
                "a deleted intent is never matched");

        IntentDefinition inactive = intent("card_lost", "cards", null, "I lost my card");
        inactive.setActive(false);
        intents.pipeInput("card_lost", inactive);
        assertEquals(Set.of("v1/password_reset"), keys(store), "inactive intents are not matched");
    }

    @Test
    void shouldDeadLetterIntentWhenItHasNoUtterances() {
        intents.pipeInput("empty", intent("empty", "nowhere", null, " ", ""));

        assertEquals(
                DeadLetters.REASON_INVALID_INTENT,
                DeadLetters.header(deadLetters.readRecord().headers(), DeadLetters.REASON_HEADER));
        assertTrue(embeddings.isEmpty());
    }

    @Test
    void shouldReEmbedCatalogAndNeverMixVersionsWhenModelChanges() {
        loadCatalog();
        // A stale vector left under v1 only: once v2 serves, nothing may come from v1.
        KeyValueStore<String, IntentEmbedding> store =
                driver.getKeyValueStore(IntentTopology.INTENT_EMBEDDINGS_STORE);
        embeddings.readKeyValuesToList();

        registry.swap(new ServingModel("v2", new DjlSentenceEncoder(model), () -> {}));
        driver.advanceWallClockTime(Duration.ofSeconds(2)); // the catalog check re-embeds for v2

        Set<String> keys = keys(store);
        // v1 vectors stay beside v2's: other instances may still serve v1 until their own swap, and
        // a rollback may bring it back.
        assertEquals(
                Set.of(
                        "v1/card_lost",
                        "v1/refund",
                        "v1/password_reset",
                        "v2/card_lost",
                        "v2/refund",
                        "v2/password_reset"),
                keys,
                "the catalog is embedded for v2 too");
        queries.pipeInput("q9", query("q9", "somebody stole my credit card"));
        flush();
        IntentMatch match = matches.readValue();
        assertEquals("v2", match.getModelVersion());
        assertEquals("card_lost", match.getChosenIntentId());
    }

    @Test
    void shouldEmbedStagedVersionBeforeSwapWhenModelIsStaged() {
        loadCatalog();
        KeyValueStore<String, IntentEmbedding> store =
                driver.getKeyValueStore(IntentTopology.INTENT_EMBEDDINGS_STORE);
        ServingModel v2 = new ServingModel("v2", new DjlSentenceEncoder(model), () -> {});

        registry.stage(v2);
        driver.advanceWallClockTime(Duration.ofSeconds(2));

        assertEquals(
                Set.of(
                        "v1/card_lost",
                        "v1/refund",
                        "v1/password_reset",
                        "v2/card_lost",
                        "v2/refund",
                        "v2/password_reset"),
                keys(store),
                "both versions are embedded while v2 is staged");
        queries.pipeInput("s1", query("s1", "somebody stole my credit card"));
        flush();
        assertEquals(
                "v1",
                matches.readValue().getModelVersion(),
                "queries use the current model until the swap");

        registry.swap(v2);
        queries.pipeInput("s2", query("s2", "somebody stole my credit card"));
        flush();
        IntentMatch afterSwap = matches.readValue();
        assertEquals("v2", afterSwap.getModelVersion());
        assertEquals(
                "card_lost", afterSwap.getChosenIntentId(), "v2 vectors were ready at the swap");

        driver.advanceWallClockTime(Duration.ofSeconds(2));
        assertTrue(
                keys(store).containsAll(Set.of("v1/card_lost", "v2/card_lost")),
                "the version served before stays");

        registry.swap(new ServingModel("v3", new DjlSentenceEncoder(model), () -> {}));
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        assertEquals(
                Set.of(
                        "v2/card_lost",
                        "v2/refund",
                        "v2/password_reset",
                        "v3/card_lost",
                        "v3/refund",
                        "v3/password_reset"),
                keys(store),
                "v1 is retired once it is two versions old");
    }

    @Test
    void shouldMatchOnlyAgainstSameVersionWhenStoreHoldsOtherVersions() {
        loadCatalog();
        // An intent that only exists under another version must never be a candidate.
        TestInputTopic<String, IntentEmbedding> embeddingInput = input(Topics.INTENT_EMBEDDINGS);
        float[][] vector =
                model == null
                        ? null
                        : new DjlSentenceEncoder(model)
                                .encode(List.of("somebody stole my credit card"));
        embeddingInput.pipeInput(
                "v0/stolen_exact",
                IntentEmbedding.newBuilder()
                        .setModelVersion("v0")
                        .setIntentId("stolen_exact")
                        .setRoute("x")
                        .setDimension(384)
                        .setVectors(EmbeddingVectors.pack(vector, 384))
                        .build());

        queries.pipeInput("q10", query("q10", "somebody stole my credit card"));
        flush();

        IntentMatch match = matches.readValue();
        assertEquals("v1", match.getModelVersion());
        assertTrue(
                match.getCandidates().stream()
                        .noneMatch(c -> c.getIntentId().equals("stolen_exact")));
    }

    /**
     * Undecodable records go to the dead letters through Kafka Streams' deserialization handler.
     * Under exactly_once the test driver does not surface the records that handler sends (it sends
     * them while the driver queues the input, outside the transaction the driver commits), so the
     * tests that pipe undecodable bytes run at_least_once; the integration tests on a broker cover
     * them under exactly_once.
     */
    private void startWithoutTransactions() {
        start(
                Map.of(
                        IntentStreamConfig.STREAMS_PREFIX
                                + StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                        StreamsConfig.AT_LEAST_ONCE));
    }

    @Test
    void shouldAccountForEveryInputWhenStreamMixesGoodAndBadRecords() {
        reconcile(false);
    }

    @Test
    void shouldAccountForEveryInputWhenStreamAlsoHasUndecodableRecords() {
        startWithoutTransactions();
        reconcile(true);
    }

    private void reconcile(boolean withPoisonPill) {
        loadCatalog();
        List<String> ids = new ArrayList<>();
        String[] texts = {
            "I lost my card",
            "the weather is nice",
            "",
            "reset my password",
            "refund please",
            "x".repeat(3000),
            "  "
        };
        for (int i = 0; i < texts.length; i++) {
            String id = "m" + i;
            ids.add(id);
            queries.pipeInput(id, query(id, texts[i]));
        }
        if (withPoisonPill) {
            rawQueries.pipeInput(
                    "m-poison".getBytes(StandardCharsets.UTF_8),
                    new byte[] {(byte) 0xC3, 0x01, 1, 2, 3});
            ids.add("m-poison");
        }
        flush();

        List<String> seen = new ArrayList<>();
        matches.readKeyValuesToList().forEach(kv -> seen.add(kv.key));
        fallbacks.readKeyValuesToList().forEach(kv -> seen.add(kv.key));
        deadLetters
                .readKeyValuesToList()
                .forEach(kv -> seen.add(new String(kv.key, StandardCharsets.UTF_8)));
        assertEquals(ids.size(), seen.size(), "no input lost or duplicated: " + seen);
        assertEquals(new HashSet<>(ids), new HashSet<>(seen));
    }

    @Test
    void shouldMatchTheCheckedInDescriptionWhenTopologyIsBuilt() throws IOException {
        // A snapshot: any change to nodes, stores, topics or their wiring shows here, and must be
        // meant.
        String description =
                IntentTopology.build(new IntentStreamConfig(Map.of()), registry)
                        .describe()
                        .toString();
        Path fresh = Path.of("target", "topology-description.txt");
        Files.createDirectories(fresh.getParent());
        Files.writeString(fresh, description);
        String expected;
        try (var in = IntentTopologyTest.class.getResourceAsStream("/topology-description.txt")) {
            expected = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(
                expected,
                description,
                "the topology changed: if that is meant, copy"
                        + " streams-app/target/topology-description.txt (just written) over"
                        + " streams-app/src/test/resources/topology-description.txt");
    }

    @Test
    void shouldAnswerLookupLikeTheStreamWhenAskedOverHttp() throws Exception {
        loadCatalog();
        queries.pipeInput("q11", query("q11", "how can I get a refund"));
        flush();
        IntentMatch streamed = matches.readValue();
        KeyValueStore<String, IntentEmbedding> store =
                driver.getKeyValueStore(IntentTopology.INTENT_EMBEDDINGS_STORE);
        IntentLookup lookup =
                new IntentLookup(registry, indexCache, () -> store, config.batchMatcher());
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ServiceMetrics(prometheus).modelVersion("v1");

        try (HttpEndpoint http =
                new HttpEndpoint(
                        "127.0.0.1",
                        0,
                        lookup,
                        () -> new HttpEndpoint.Health(true, "RUNNING", registry.currentVersion()),
                        prometheus)) {
            HttpClient client = HttpClient.newHttpClient();
            URI base = URI.create("http://127.0.0.1:" + http.port());
            HttpResponse<String> match =
                    client.send(
                            HttpRequest.newBuilder(base.resolve("/match"))
                                    .POST(
                                            HttpRequest.BodyPublishers.ofString(
                                                    "{\"text\": \"how can I get a refund\"}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> bad =
                    client.send(
                            HttpRequest.newBuilder(base.resolve("/match"))
                                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> health =
                    client.send(
                            HttpRequest.newBuilder(base.resolve("/health")).build(),
                            HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> metricsText =
                    client.send(
                            HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                            HttpResponse.BodyHandlers.ofString());

            assertEquals(200, match.statusCode(), match.body());
            JsonObject body = JsonParser.parseString(match.body()).getAsJsonObject();
            assertEquals("v1", body.get("modelVersion").getAsString());
            assertEquals(streamed.getChosenIntentId(), body.get("intentId").getAsString());
            JsonArray candidates = body.getAsJsonArray("candidates");
            assertEquals(streamed.getCandidates().size(), candidates.size());
            for (int i = 0; i < candidates.size(); i++) {
                JsonObject c = candidates.get(i).getAsJsonObject();
                assertEquals(
                        streamed.getCandidates().get(i).getIntentId(),
                        c.get("intentId").getAsString());
                assertEquals(
                        streamed.getCandidates().get(i).getScore(),
                        c.get("score").getAsFloat(),
                        1e-4);
            }
            assertEquals(400, bad.statusCode());
            assertEquals(200, health.statusCode());
            assertTrue(health.body().contains("\"UP\""), health.body());
            assertTrue(
                    metricsText.body().contains("intentstream_model_version{version=\"v1\"} 1"),
                    metricsText.body());
        }
    }

    @Test
    void shouldKeepReleasedExemplarsWhenCatalogCheckRunsAfterSwap() {
        loadCatalog();
        float[][] exemplars = publishCardLostWithExemplars("v2");
        embeddings.readKeyValuesToList();

        registry.swap(new ServingModel("v2", new DjlSentenceEncoder(model), () -> {}));
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        driver.advanceWallClockTime(Duration.ofSeconds(2));

        assertEquals(
                Set.of("v2/refund", "v2/password_reset"),
                new HashSet<>(embeddings.readKeyValuesToList().stream().map(kv -> kv.key).toList()),
                "only the intents the release lacks are embedded");
        KeyValueStore<String, IntentEmbedding> store =
                driver.getKeyValueStore(IntentTopology.INTENT_EMBEDDINGS_STORE);
        IntentEmbedding kept = store.get("v2/card_lost");
        assertEquals(2, kept.getExemplars());
        float[][] vectors = EmbeddingVectors.unpack(kept.getVectors(), 384);
        assertEquals(5, vectors.length);
        assertArrayEquals(exemplars[0], vectors[3]);
        assertArrayEquals(exemplars[1], vectors[4]);
    }

    @Test
    void shouldCarryExemplarsAfterNewUtterancesWhenDefinitionChanges() {
        loadCatalog();
        float[][] exemplars = publishCardLostWithExemplars("v2");
        registry.swap(new ServingModel("v2", new DjlSentenceEncoder(model), () -> {}));

        List<String> utterances = List.of("I lost my card", "my debit card is missing");
        intents.pipeInput(
                "card_lost",
                intent("card_lost", "cards-2", null, utterances.toArray(String[]::new)));

        KeyValueStore<String, IntentEmbedding> store =
                driver.getKeyValueStore(IntentTopology.INTENT_EMBEDDINGS_STORE);
        IntentEmbedding edited = store.get("v2/card_lost");
        assertEquals("cards-2", edited.getRoute());
        assertEquals(2, edited.getExemplars());
        float[][] vectors = EmbeddingVectors.unpack(edited.getVectors(), 384);
        assertEquals(4, vectors.length);
        float[][] expected = new DjlSentenceEncoder(model).encode(utterances);
        assertArrayEquals(expected[0], vectors[0], 1e-5f);
        assertArrayEquals(expected[1], vectors[1], 1e-5f);
        assertArrayEquals(exemplars[0], vectors[2]);
        assertArrayEquals(exemplars[1], vectors[3]);
    }

    /**
     * Publishes card_lost under {@code version} as a release does: the catalog's utterances, then
     * two confirmed queries (the exemplars, returned), and a fitted threshold the catalog lacks.
     */
    private float[][] publishCardLostWithExemplars(String version) {
        DjlSentenceEncoder encoder = new DjlSentenceEncoder(model);
        float[][] utterances =
                encoder.encode(
                        List.of(
                                "I lost my card",
                                "my bank card was stolen",
                                "I can't find my credit card anywhere"));
        float[][] exemplars =
                encoder.encode(
                        List.of(
                                "someone took my visa at the bar",
                                "wallet gone and the card with it"));
        float[][] vectors =
                Stream.concat(Arrays.stream(utterances), Arrays.stream(exemplars))
                        .toArray(float[][]::new);
        input(Topics.INTENT_EMBEDDINGS)
                .pipeInput(
                        version + "/card_lost",
                        IntentEmbedding.newBuilder()
                                .setModelVersion(version)
                                .setIntentId("card_lost")
                                .setRoute("cards")
                                .setThreshold(0.42f)
                                .setDimension(384)
                                .setVectors(EmbeddingVectors.pack(vectors, 384))
                                .setExemplars(exemplars.length)
                                .build());
        return exemplars;
    }

    @Test
    void shouldMatchEachTextLikeMatchWhenLookingUpSeveralAtOnce() {
        loadCatalog();
        KeyValueStore<String, IntentEmbedding> store =
                driver.getKeyValueStore(IntentTopology.INTENT_EMBEDDINGS_STORE);
        CountingEncoder encoder = new CountingEncoder(new DjlSentenceEncoder(model));
        try (ModelRegistry lookupModels =
                new ModelRegistry(new ServingModel("v1", encoder, () -> {}))) {
            IntentLookup lookup =
                    new IntentLookup(lookupModels, indexCache, () -> store, config.batchMatcher());
            List<String> texts =
                    List.of(
                            "somebody stole my credit card",
                            "how can I get a refund",
                            "I can't remember my password",
                            "the volcano on the island erupted last night");

            List<IntentLookup.Result> batch = lookup.matchAll(texts, 3);

            assertEquals(1, encoder.calls, "the texts are embedded in one batch");
            assertEquals(texts.size(), batch.size());
            assertEquals(
                    List.of("card_lost", "refund", "password_reset"),
                    batch.subList(0, 3).stream()
                            .map(r -> r.verdict().chosen().intentId())
                            .toList());
            for (int i = 0; i < texts.size(); i++) {
                IntentLookup.Result one = lookup.match(texts.get(i), 3);
                IntentLookup.Result many = batch.get(i);
                assertEquals(one.modelVersion(), many.modelVersion());
                assertEquals(
                        one.verdict().fallbackReason(),
                        many.verdict().fallbackReason(),
                        texts.get(i));
                assertEquals(
                        one.candidates().stream().map(ScoredIntent::intentId).toList(),
                        many.candidates().stream().map(ScoredIntent::intentId).toList(),
                        texts.get(i));
                for (int c = 0; c < one.candidates().size(); c++) {
                    assertEquals(
                            one.candidates().get(c).score(),
                            many.candidates().get(c).score(),
                            1e-5,
                            texts.get(i));
                }
            }
            IllegalArgumentException blank =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> lookup.matchAll(List.of("refund", " "), 3));
            assertTrue(blank.getMessage().contains("1"), blank.getMessage());
        }
    }

    /** The real encoder, counting its batch calls. */
    private static final class CountingEncoder implements SentenceEncoder {
        private final SentenceEncoder encoder;
        private int calls;

        CountingEncoder(SentenceEncoder encoder) {
            this.encoder = encoder;
        }

        @Override
        public int dimension() {
            return encoder.dimension();
        }

        @Override
        public float[][] encode(List<String> texts) {
            calls++;
            return encoder.encode(texts);
        }

        @Override
        public void close() {
            encoder.close();
        }
    }

    private static MatchFeedback feedback(
            String queryId, FeedbackOutcome outcome, String intentId) {
        return MatchFeedback.newBuilder()
                .setQueryId(queryId)
                .setOutcome(outcome)
                .setIntentId(intentId)
                .setSource("agent:1")
                .setTimestamp(T0)
                .build();
    }

    private static Set<String> keys(KeyValueStore<String, IntentEmbedding> store) {
        Set<String> keys = new HashSet<>();
        try (KeyValueIterator<String, IntentEmbedding> it = store.all()) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }
}
