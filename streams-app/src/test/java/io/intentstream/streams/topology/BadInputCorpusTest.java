package io.intentstream.streams.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.intentstream.avro.FeedbackOutcome;
import io.intentstream.avro.IntentDefinition;
import io.intentstream.avro.IntentEmbedding;
import io.intentstream.avro.IntentMatch;
import io.intentstream.avro.MatchFeedback;
import io.intentstream.avro.SupportQuery;
import io.intentstream.avro.TrainingExample;
import io.intentstream.encoder.DefaultModel;
import io.intentstream.encoder.DjlSentenceEncoder;
import io.intentstream.encoder.SentenceModel;
import io.intentstream.schemas.DeadLetters;
import io.intentstream.schemas.Topic;
import io.intentstream.schemas.Topics;
import io.intentstream.streams.config.IntentStreamConfig;
import io.intentstream.streams.metrics.ServiceMetrics;
import io.intentstream.streams.model.IntentIndexCache;
import io.intentstream.streams.model.ModelRegistry;
import io.intentstream.streams.model.ServingModel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus of bad and unusual input, each case with the outcome it must have (written as data in
 * {@link #QUERY_CASES}, {@link #FEEDBACK_CASES} and {@link #INTENT_CASES}), run through the whole
 * topology with the real encoder. Nothing may crash, every input record must come out exactly once
 * (a match, a fallback, a training example, an intent embedding or a dead letter with its reason),
 * and the counts must reconcile with the metrics.
 *
 * <p>Undecodable bytes go through Kafka Streams' deserialization handler, whose dead letters the
 * test driver only surfaces at_least_once (see {@code IntentTopologyTest}); the broker tests cover
 * them under exactly_once.
 */
class BadInputCorpusTest {

    private static final String PREFIX = "corpus.";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** What must become of one input record. */
    enum Outcome {
        MATCHED,
        FALLBACK,
        DEAD_LETTER,
        TRAINING_EXAMPLE,
        EMBEDDED
    }

    /**
     * One case: a name (also the record key), how to make the bytes, the expected outcome and,
     * where it matters, the reason or intent.
     */
    record Case(String key, Supplier<byte[]> value, Outcome expected, String detail) {}

    private static final int ONE_MB = 1 << 20;

    /** Case name of a record with neither a key nor an id in its value (piped with a null key). */
    private static final String NO_ID = "no-id-anywhere";

    // --- the corpus --------------------------------------------------------------------------

    static final List<Case> QUERY_CASES =
            List.of(
                    new Case(
                            "plain-english",
                            () -> query("plain-english", "I lost my card"),
                            Outcome.MATCHED,
                            "card_lost"),
                    new Case(
                            "out-of-scope",
                            () ->
                                    query(
                                            "out-of-scope",
                                            "what a lovely sunny afternoon for a picnic"),
                            Outcome.FALLBACK,
                            null),
                    new Case(
                            "not-avro",
                            () -> "{\"queryId\": \"not-avro\"}".getBytes(StandardCharsets.UTF_8),
                            Outcome.DEAD_LETTER,
                            DeadLetters.REASON_BAD_HEADER),
                    new Case(
                            "truncated-avro",
                            () -> truncated(query("truncated-avro", "I lost my card")),
                            Outcome.DEAD_LETTER,
                            DeadLetters.REASON_CORRUPT_BODY),
                    new Case(
                            "newer-schema",
                            BadInputCorpusTest::newerSchemaVersion,
                            Outcome.DEAD_LETTER,
                            DeadLetters.REASON_UNKNOWN_SCHEMA),
                    new Case(
                            "empty-text",
                            () -> query("empty-text", ""),
                            Outcome.DEAD_LETTER,
                            DeadLetters.REASON_EMPTY_TEXT),
                    new Case(
                            "whitespace-only",
                            () -> query("whitespace-only", " \t\n\u00a0\u2003 "),
                            Outcome.DEAD_LETTER,
                            DeadLetters.REASON_EMPTY_TEXT),
                    new Case(
                            "one-megabyte",
                            () -> query("one-megabyte", "refund ".repeat(ONE_MB / 7)),
                            Outcome.DEAD_LETTER,
                            DeadLetters.REASON_TEXT_TOO_LONG),
                    // The record key is the query id; the value's id is only a fallback for a
                    // record without a key.
                    new Case(
                            "id-only-in-key",
                            () -> query("", "I lost my card"),
                            Outcome.MATCHED,
                            "card_lost"),
                    new Case(
                            NO_ID,
                            () -> query("", "I lost my card"),
                            Outcome.DEAD_LETTER,
                            DeadLetters.REASON_MISSING_ID),
                    // Avro strings are raw bytes: invalid UTF-8 decodes leniently (U+FFFD) and the
                    // rest still matches.
                    new Case(
                            "invalid-utf8",
                            () -> invalidUtf8("invalid-utf8"),
                            Outcome.MATCHED,
                            "card_lost"),
                    new Case(
                            "control-characters",
                            () ->
                                    query(
                                            "control-characters",
                                            "I lost my card\u0000\u0007\u001b[31m\r"),
                            Outcome.MATCHED,
                            "card_lost"),
                    new Case(
                            "only-control-characters",
                            () ->
                                    query(
                                            "only-control-characters",
                                            "\u0000\u0001\u0002\u0007\u001b"),
                            Outcome.FALLBACK,
                            null),
                    new Case(
                            "right-to-left-arabic",
                            () -> query("right-to-left-arabic", "لقد فقدت بطاقتي المصرفية"),
                            Outcome.FALLBACK,
                            null),
                    new Case(
                            "right-to-left-hebrew",
                            () -> query("right-to-left-hebrew", "איבדתי את כרטיס האשראי שלי"),
                            Outcome.FALLBACK,
                            null),
                    new Case(
                            "bidi-override",
                            () -> query("bidi-override", "\u202Edrac ym tsol I\u202C"),
                            Outcome.FALLBACK,
                            null),
                    new Case("cjk", () -> query("cjk", "我的银行卡丢了，怎么办？"), Outcome.FALLBACK, null),
                    new Case(
                            "emoji-with-words",
                            () -> query("emoji-with-words", "I lost my card 😱💳"),
                            Outcome.MATCHED,
                            "card_lost"),
                    // MiniLM's vocabulary has no emoji: they all become [UNK], so an emoji-only
                    // query lands on
                    // the one intent whose utterances are mostly emoji. A model limit, pinned here
                    // so it is known.
                    new Case(
                            "emoji-only",
                            () -> query("emoji-only", "😱💳🔥🙏"),
                            Outcome.MATCHED,
                            "emoji-intent"),
                    // The same query id twice: each record is answered (the stream does not
                    // deduplicate; the
                    // feedback join then uses the latest match).
                    new Case(
                            "duplicate-id",
                            () -> query("duplicate-id", "how do I reset my login password"),
                            Outcome.MATCHED,
                            "password_reset"),
                    new Case(
                            "duplicate-id",
                            () -> query("duplicate-id", "how do I reset my login password"),
                            Outcome.MATCHED,
                            "password_reset"));

    static final List<Case> FEEDBACK_CASES =
            List.of(
                    new Case(
                            "plain-english",
                            () -> feedback("plain-english", FeedbackOutcome.CONFIRMED, null),
                            Outcome.TRAINING_EXAMPLE,
                            "card_lost"),
                    new Case(
                            "never-seen",
                            () -> feedback("never-seen", FeedbackOutcome.CONFIRMED, null),
                            Outcome.DEAD_LETTER,
                            DeadLetters.REASON_UNKNOWN_QUERY),
                    new Case(
                            "emoji-with-words",
                            () ->
                                    feedback(
                                            "emoji-with-words",
                                            FeedbackOutcome.CORRECTED,
                                            "no_such_intent"),
                            Outcome.DEAD_LETTER,
                            DeadLetters.REASON_UNKNOWN_INTENT),
                    new Case(
                            "feedback-not-avro",
                            () -> new byte[] {(byte) 0xC3, 0x01, 9, 9},
                            Outcome.DEAD_LETTER,
                            DeadLetters.REASON_BAD_HEADER),
                    new Case(
                            "feedback-unknown-fingerprint",
                            () -> new byte[] {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 2, 0x41},
                            Outcome.DEAD_LETTER,
                            DeadLetters.REASON_UNKNOWN_SCHEMA));

    static final List<Case> INTENT_CASES =
            List.of(
                    new Case(
                            "no-utterances",
                            () -> intent("no-utterances"),
                            Outcome.DEAD_LETTER,
                            DeadLetters.REASON_INVALID_INTENT),
                    new Case(
                            "blank-utterances",
                            () -> intent("blank-utterances", " ", "\t", ""),
                            Outcome.DEAD_LETTER,
                            DeadLetters.REASON_INVALID_INTENT),
                    new Case(
                            "emoji-intent",
                            () -> intent("emoji-intent", "🎉 party time 🎉", "let's celebrate"),
                            Outcome.EMBEDDED,
                            null));

    // --- the run -----------------------------------------------------------------------------

    private static SentenceModel model;

    @TempDir static Path stateDir;

    @BeforeAll
    static void loadModel() {
        model = DefaultModel.load(Device.cpu());
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    @Test
    void shouldGiveEveryCaseItsDefinedOutcomeAndLoseNothingWhenTheCorpusStreamsThrough() {
        Map<String, Object> settings = new HashMap<>();
        settings.put(IntentStreamConfig.APPLICATION_ID_CONFIG, "corpus-test");
        settings.put(IntentStreamConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        settings.put(IntentStreamConfig.TOPIC_PREFIX_CONFIG, PREFIX);
        settings.put(IntentStreamConfig.BATCH_MAX_SIZE_CONFIG, 4);
        settings.put(IntentStreamConfig.THRESHOLD_CONFIG, 0.5);
        settings.put(
                IntentStreamConfig.STREAMS_PREFIX + StreamsConfig.STATE_DIR_CONFIG,
                stateDir.toString());
        settings.put(
                IntentStreamConfig.STREAMS_PREFIX + StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                StreamsConfig.AT_LEAST_ONCE);
        IntentStreamConfig config = new IntentStreamConfig(settings);
        ServiceMetrics metrics = ServiceMetrics.noop();
        try (ModelRegistry registry =
                        new ModelRegistry(
                                new ServingModel("v1", new DjlSentenceEncoder(model), () -> {}));
                TopologyTestDriver driver =
                        new TopologyTestDriver(
                                IntentTopology.build(
                                        config, registry, new IntentIndexCache(), metrics),
                                config.streamsProperties(
                                        Map.of(ServiceMetrics.CONFIG_KEY, metrics)),
                                T0)) {
            TestInputTopic<String, byte[]> intents = raw(driver, Topics.INTENTS);
            TestInputTopic<String, byte[]> queries = raw(driver, Topics.QUERIES);
            TestInputTopic<String, byte[]> feedback = raw(driver, Topics.FEEDBACK);
            TestOutputTopic<String, IntentMatch> matches = output(driver, Topics.MATCHES);
            TestOutputTopic<String, IntentMatch> fallbacks = output(driver, Topics.FALLBACKS);
            TestOutputTopic<String, TrainingExample> training =
                    output(driver, Topics.TRAINING_EXAMPLES);
            TestOutputTopic<String, IntentEmbedding> embeddings =
                    output(driver, Topics.INTENT_EMBEDDINGS);
            TestOutputTopic<byte[], byte[]> deadLetters =
                    driver.createOutputTopic(
                            Topics.DEAD_LETTERS.withPrefix(PREFIX).name(),
                            new ByteArrayDeserializer(),
                            new ByteArrayDeserializer());

            for (String[] intent : CATALOG) {
                intents.pipeInput(
                        intent[0], intent(intent[0], Arrays.copyOfRange(intent, 1, intent.length)));
            }
            embeddings.readRecordsToList();
            List<Actual> actual = new ArrayList<>();

            INTENT_CASES.forEach(c -> intents.pipeInput(c.key(), c.value().get()));
            embeddings
                    .readRecordsToList()
                    .forEach(
                            r ->
                                    actual.add(
                                            new Actual(
                                                    "intent",
                                                    r.value().getIntentId(),
                                                    Outcome.EMBEDDED,
                                                    null)));

            // An intent deleted while queries for it wait in a partly filled batch: they are
            // matched
            // against what the catalog holds when the batch runs, never against the deleted intent.
            queries.pipeInput("in-flight-1", query("in-flight-1", "please refund the payment"));
            queries.pipeInput(
                    "in-flight-2", query("in-flight-2", "how do I get a refund for my order"));
            intents.pipeInput("refund", (byte[]) null);
            QUERY_CASES.forEach(
                    c ->
                            queries.pipeInput(
                                    c.key().equals(NO_ID) ? null : c.key(), c.value().get()));
            driver.advanceWallClockTime(Duration.ofSeconds(1));
            FEEDBACK_CASES.forEach(c -> feedback.pipeInput(c.key(), c.value().get()));
            driver.advanceWallClockTime(Duration.ofSeconds(1));

            List<IntentMatch> answered = new ArrayList<>();
            matches.readValuesToList()
                    .forEach(
                            m -> {
                                answered.add(m);
                                actual.add(
                                        new Actual(
                                                "query",
                                                m.getQueryId(),
                                                Outcome.MATCHED,
                                                m.getChosenIntentId()));
                            });
            fallbacks
                    .readValuesToList()
                    .forEach(
                            m -> {
                                answered.add(m);
                                actual.add(
                                        new Actual(
                                                "query", m.getQueryId(), Outcome.FALLBACK, null));
                            });
            training.readValuesToList()
                    .forEach(
                            t ->
                                    actual.add(
                                            new Actual(
                                                    "feedback",
                                                    t.getQueryId(),
                                                    Outcome.TRAINING_EXAMPLE,
                                                    t.getIntentId())));
            for (TestRecord<byte[], byte[]> dead : deadLetters.readRecordsToList()) {
                String topic = DeadLetters.header(dead.headers(), DeadLetters.STREAMS_TOPIC_HEADER);
                String source = topic == null ? "?" : topic.substring(PREFIX.length());
                String kind =
                        switch (source) {
                            case "queries" -> "query";
                            case "feedback" -> "feedback";
                            case "intents" -> "intent";
                            default -> source;
                        };
                actual.add(
                        new Actual(
                                kind,
                                dead.key() == null
                                        ? ""
                                        : new String(dead.key(), StandardCharsets.UTF_8),
                                Outcome.DEAD_LETTER,
                                DeadLetters.header(dead.headers(), DeadLetters.REASON_HEADER)));
            }

            // The in-flight queries: answered once each, never with the deleted intent.
            for (String id : List.of("in-flight-1", "in-flight-2")) {
                List<IntentMatch> forId =
                        answered.stream().filter(m -> m.getQueryId().equals(id)).toList();
                assertEquals(1, forId.size(), id + " answered exactly once");
                assertTrue(
                        forId.get(0).getCandidates().stream()
                                .noneMatch(c -> c.getIntentId().equals("refund")),
                        id + " is never matched against the deleted intent: " + forId.get(0));
            }
            actual.removeIf(a -> a.key().startsWith("in-flight-"));

            List<Actual> expected = new ArrayList<>();
            QUERY_CASES.forEach(
                    c ->
                            expected.add(
                                    new Actual(
                                            "query",
                                            c.key().equals(NO_ID) ? "" : c.key(),
                                            c.expected(),
                                            c.detail())));
            FEEDBACK_CASES.forEach(
                    c -> expected.add(new Actual("feedback", c.key(), c.expected(), c.detail())));
            INTENT_CASES.forEach(
                    c -> expected.add(new Actual("intent", c.key(), c.expected(), c.detail())));
            assertEquals(
                    table(expected),
                    table(actual),
                    "every case has its defined outcome, exactly once");

            // The counts reconcile with the service's metrics.
            long deadByQueries =
                    expected.stream()
                            .filter(
                                    a ->
                                            a.kind().equals("query")
                                                    && a.outcome() == Outcome.DEAD_LETTER)
                            .count();
            long deadTotal =
                    expected.stream().filter(a -> a.outcome() == Outcome.DEAD_LETTER).count();
            double counted =
                    metrics.registry().find("intentstream.dead.letters").counters().stream()
                            .mapToDouble(c -> c.count())
                            .sum();
            assertEquals(deadTotal, (long) counted, "dead letters counted by reason");
            long answeredQueries = QUERY_CASES.size() - deadByQueries + 2;
            double queriesCounted =
                    metrics.registry().find("intentstream.queries").counters().stream()
                            .mapToDouble(c -> c.count())
                            .sum();
            assertEquals(answeredQueries, (long) queriesCounted, "matched + fallback");
        }
    }

    /** What came out for one input, in a form comparable with the expectation. */
    record Actual(String kind, String key, Outcome outcome, String detail) {}

    /** Sorted lines, so a failure shows the whole difference at once. */
    private static String table(List<Actual> rows) {
        TreeMap<String, Integer> out = new TreeMap<>();
        for (Actual a : rows) {
            String detail =
                    a.outcome() == Outcome.FALLBACK || a.outcome() == Outcome.EMBEDDED
                            ? ""
                            : " " + a.detail();
            out.merge(a.kind() + " " + a.key() + " -> " + a.outcome() + detail, 1, Integer::sum);
        }
        StringBuilder s = new StringBuilder();
        out.forEach((line, n) -> s.append(line).append(n > 1 ? " x" + n : "").append('\n'));
        return s.toString();
    }

    // --- record makers -----------------------------------------------------------------------

    private static final String[][] CATALOG = {
        {
            "card_lost",
            "I lost my card",
            "my bank card was stolen",
            "I can't find my credit card anywhere"
        },
        {
            "refund",
            "I want my money back",
            "how do I get a refund for my order",
            "please refund the payment"
        },
        {
            "password_reset",
            "I forgot my password",
            "how do I reset my login password",
            "I can't log in to my account"
        }
    };

    private static <V> TestInputTopic<String, byte[]> raw(
            TopologyTestDriver driver, Topic<String, V> topic) {
        return driver.createInputTopic(
                topic.withPrefix(PREFIX).name(),
                new StringSerializer(),
                new ByteArraySerializer(),
                T0,
                Duration.ofMillis(1));
    }

    private static <K, V> TestOutputTopic<K, V> output(
            TopologyTestDriver driver, Topic<K, V> topic) {
        Topic<K, V> t = topic.withPrefix(PREFIX);
        return driver.createOutputTopic(
                t.name(), t.keySerde().deserializer(), t.valueSerde().deserializer());
    }

    static byte[] query(String id, String text) {
        return Topics.QUERIES
                .valueSerde()
                .serializer()
                .serialize(
                        "q",
                        SupportQuery.newBuilder()
                                .setQueryId(id)
                                .setText(text)
                                .setChannel("chat")
                                .setTimestamp(T0)
                                .build());
    }

    static byte[] feedback(String queryId, FeedbackOutcome outcome, String intentId) {
        return Topics.FEEDBACK
                .valueSerde()
                .serializer()
                .serialize(
                        "f",
                        MatchFeedback.newBuilder()
                                .setQueryId(queryId)
                                .setOutcome(outcome)
                                .setIntentId(intentId)
                                .setSource("agent:1")
                                .setTimestamp(T0)
                                .build());
    }

    static byte[] intent(String id, String... examples) {
        return Topics.INTENTS
                .valueSerde()
                .serializer()
                .serialize(
                        "i",
                        IntentDefinition.newBuilder()
                                .setIntentId(id)
                                .setName(id.replace('_', ' '))
                                .setRoute("queue-" + id)
                                .setExamples(List.of(examples))
                                .build());
    }

    /** A valid record cut short: the header and fingerprint are fine, the body ends early. */
    static byte[] truncated(byte[] bytes) {
        return Arrays.copyOf(bytes, 10 + (bytes.length - 10) / 3);
    }

    /**
     * "I lost my card " followed by bytes that are not UTF-8 (a lone continuation byte and 0xFF).
     */
    static byte[] invalidUtf8(String id) {
        byte[] bytes = query(id, "I lost my card ##");
        byte[] marker = "##".getBytes(StandardCharsets.UTF_8);
        for (int i = bytes.length - marker.length; i >= 0; i--) {
            if (bytes[i] == marker[0] && bytes[i + 1] == marker[1]) {
                bytes[i] = (byte) 0x80;
                bytes[i + 1] = (byte) 0xFF;
                return bytes;
            }
        }
        throw new IllegalStateException("marker not found");
    }

    /**
     * A SupportQuery written by a producer with a newer schema (one more field) this service was
     * not built with.
     */
    static byte[] newerSchemaVersion() {
        String current = SupportQuery.getClassSchema().toString();
        String newer =
                current.substring(0, current.lastIndexOf(']'))
                        + ",{\"name\":\"priority\",\"type\":\"int\",\"default\":0,\"doc\":\"Added"
                        + " in a later version.\"}]}";
        Schema schema = new Schema.Parser().parse(newer);
        GenericRecord r = new GenericData.Record(schema);
        r.put("queryId", "newer-schema");
        r.put("text", "I lost my card");
        r.put("channel", "chat");
        r.put("timestamp", T0.toEpochMilli());
        r.put("metadata", new LinkedHashMap<String, String>());
        r.put("priority", 2);
        try {
            ByteBuffer buffer =
                    new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(r);
            byte[] out = new byte[buffer.remaining()];
            buffer.get(out);
            return out;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
