package io.intentstream.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import io.intentstream.avro.IntentDefinition;
import io.intentstream.avro.IntentEmbedding;
import io.intentstream.avro.ModelRelease;
import io.intentstream.avro.SupportQuery;
import io.intentstream.encoder.ModelDirectory;
import io.intentstream.encoder.ModelManifest;
import io.intentstream.local.service.DemoCatalog;
import io.intentstream.local.service.LocalService;
import io.intentstream.local.service.Outcome;
import io.intentstream.local.service.OutcomeLedger;
import io.intentstream.local.service.OutcomeTail;
import io.intentstream.local.service.QueryFeeder;
import io.intentstream.schemas.AvroSerde;
import io.intentstream.schemas.DeadLetters;
import io.intentstream.schemas.Topic;
import io.intentstream.schemas.Topics;
import io.intentstream.streams.config.IntentStreamConfig;
import io.intentstream.trainer.publish.ModelStore;
import io.intentstream.trainer.publish.ReleasePublisher;
import java.io.ByteArrayOutputStream;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile records on the real broker, each with the outcome it must have written as data: a record
 * that declares a 2 GB text, an intent that declares two billion examples, a query of about a
 * megabyte, an intent of 700 utterances, a vector record of 10 bytes, and bytes that are not Avro
 * at all. None may stop the instance: queries sent after all of them are answered, every query has
 * exactly one outcome, and the dead letters reconcile with the metrics.
 */
@Tag("integration")
@org.junit.jupiter.api.Timeout(value = 5, unit = TimeUnit.MINUTES)
class HostileInputIT {

    private static final Duration WAIT = Duration.ofSeconds(120);

    @RegisterExtension static final BrokerAndModel env = new BrokerAndModel();

    @TempDir Path stateDir;

    /**
     * One hostile query: its key, its bytes on the queries topic, and what must become of it (a
     * dead letter with this reason, or "MATCHED"/"FALLBACK").
     */
    record QueryCase(String key, byte[] value, String expected) {}

    private static final AvroSerde<SupportQuery> QUERIES = AvroSerde.of(SupportQuery.class);

    private static byte[] query(String id, String text) {
        return QUERIES.serialize(
                "t",
                SupportQuery.newBuilder()
                        .setQueryId(id)
                        .setText(text)
                        .setTimestamp(Instant.EPOCH)
                        .build());
    }

    // The single-object header of a record type, then a body of raw bytes.
    private static byte[] withHeaderOf(byte[] encoded, byte[] body) {
        byte[] out = Arrays.copyOf(encoded, 10 + body.length);
        System.arraycopy(body, 0, out, 10, body.length);
        return out;
    }

    private static byte[] zigzagVarint(long value) {
        long n = (value << 1) ^ (value >> 63);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((n & ~0x7FL) != 0) {
            out.write((int) ((n & 0x7F) | 0x80));
            n >>>= 7;
        }
        out.write((int) n);
        return out.toByteArray();
    }

    static final List<QueryCase> QUERY_CASES =
            List.of(
                    // 21 bytes whose queryId declares 2,000,000,000 bytes: bounded decoding refuses
                    // it.
                    new QueryCase(
                            "declares-2gb",
                            withHeaderOf(
                                    query("x", "x"),
                                    concat(zigzagVarint(2_000_000_000L), new byte[6])),
                            DeadLetters.REASON_CORRUPT_BODY),
                    // About a megabyte: the broker takes it; its dead letter is a truncated copy.
                    new QueryCase(
                            "one-megabyte",
                            query("one-megabyte", "x".repeat(1_040_000)),
                            DeadLetters.REASON_TEXT_TOO_LONG),
                    new QueryCase(
                            "not-avro",
                            "{\"queryId\":\"not-avro\"}".getBytes(StandardCharsets.UTF_8),
                            DeadLetters.REASON_BAD_HEADER),
                    new QueryCase(
                            "truncated",
                            Arrays.copyOf(query("truncated", "I lost my card"), 14),
                            DeadLetters.REASON_CORRUPT_BODY),
                    new QueryCase("empty", query("empty", "   "), DeadLetters.REASON_EMPTY_TEXT),
                    new QueryCase(
                            "in-scope",
                            query("in-scope", "I forgot my password, how do I reset it?"),
                            "MATCHED"),
                    new QueryCase(
                            "out-of-scope",
                            query("out-of-scope", "how many moons does Saturn have"),
                            "FALLBACK"));

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void shouldAnswerEveryLaterQueryAndAccountForEveryInputWhenHostileRecordsArrive()
            throws Exception {
        IntentStreamConfig config =
                ServiceHarness.config(
                        env.kafka(),
                        "hostile",
                        stateDir,
                        Map.of(IntentStreamConfig.HTTP_PORT_CONFIG, 0));
        List<IntentDefinition> catalog = new ArrayList<>(DemoCatalog.intents());
        try (LocalService service =
                LocalService.start(config, ServiceHarness.createTopics(), env.model())) {
            Map<String, Object> clients = new HashMap<>(service.clientConfig());
            clients.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
            String version = service.app().models().currentVersion();
            try (KafkaProducer<byte[], byte[]> raw =
                    new KafkaProducer<>(
                            clients, new ByteArraySerializer(), new ByteArraySerializer())) {
                // An intent declaring two billion examples: a dead letter, not an out-of-memory.
                byte[] intentHeader =
                        AvroSerde.of(IntentDefinition.class).serialize("t", catalog.get(0));
                raw.send(
                                new ProducerRecord<>(
                                        service.topic(Topics.INTENTS).name(),
                                        bytes("two-billion-examples"),
                                        withHeaderOf(
                                                intentHeader,
                                                concat(
                                                        new byte[] {2, 'a', 0, 0},
                                                        zigzagVarint(2_000_000_000L)))))
                        .get();
                // An intent of 700 utterances: its vectors need three records.
                List<String> many = new ArrayList<>();
                for (int i = 0; i < 700; i++) {
                    many.add("question " + i + " about the interest on my savings account");
                }
                catalog.add(ServiceHarness.intent("savings_interest", "accounts", many));
                ServiceHarness.serveCatalog(service, catalog, WAIT);
                // A vector record of 10 bytes where 384 floats per vector are expected.
                raw.send(
                                new ProducerRecord<>(
                                        service.topic(Topics.INTENT_EMBEDDINGS).name(),
                                        bytes(version + "/ghost"),
                                        AvroSerde.of(IntentEmbedding.class)
                                                .serialize(
                                                        "t",
                                                        IntentEmbedding.newBuilder()
                                                                .setModelVersion(version)
                                                                .setIntentId("ghost")
                                                                .setRoute("nowhere")
                                                                .setDimension(384)
                                                                .setVectors(
                                                                        ByteBuffer.wrap(
                                                                                new byte[10]))
                                                                .build())))
                        .get();
                // Counted as it reaches the store, so the queries below meet it in the index.
                Awaitility.await()
                        .atMost(WAIT)
                        .until(
                                () ->
                                        service.app()
                                                        .metrics()
                                                        .registry()
                                                        .get("intentstream.intent.vectors.invalid")
                                                        .counter()
                                                        .count()
                                                == 1.0);
                for (QueryCase c : QUERY_CASES) {
                    raw.send(
                                    new ProducerRecord<>(
                                            service.topic(Topics.QUERIES).name(),
                                            bytes(c.key()),
                                            c.value()))
                            .get();
                }
            }

            OutcomeLedger ledger = new OutcomeLedger();
            List<String> later = new ArrayList<>();
            try (OutcomeTail tail = ServiceHarness.follow(service, ledger);
                    QueryFeeder feeder =
                            new QueryFeeder(
                                    service.clientConfig(),
                                    service.topic(Topics.QUERIES),
                                    Map.of())) {
                List<String> texts = DemoCatalog.queryTexts();
                for (int i = 0; i < 50; i++) {
                    later.add("later-" + i);
                    feeder.send(
                            QueryFeeder.query("later-" + i, texts.get(i % texts.size()), "chat"));
                }
                feeder.send(
                        QueryFeeder.query(
                                "savings", "what interest do I get on my savings account", "chat"));
                feeder.flush();
                List<String> all = new ArrayList<>(later);
                all.add("savings");
                QUERY_CASES.forEach(c -> all.add(c.key()));
                assertEquals(
                        Set.of(),
                        ledger.awaitAll(all, WAIT, n -> {}),
                        "queries without an outcome");
                assertNull(tail.failure());
            }

            KafkaStreams streams = service.app().streams();
            assertEquals(KafkaStreams.State.RUNNING, streams.state(), "the instance keeps running");
            for (QueryCase c : QUERY_CASES) {
                Outcome o = ledger.get(c.key());
                String actual =
                        o.kind() == Outcome.Kind.DEAD_LETTER
                                ? o.deadLetterReason()
                                : o.kind().name();
                assertEquals(c.expected(), actual, c.key());
            }
            for (String id : later) {
                Outcome.Kind kind = ledger.get(id).kind();
                assertTrue(
                        kind == Outcome.Kind.MATCHED || kind == Outcome.Kind.FALLBACK,
                        id + " " + kind);
            }
            assertEquals(
                    "savings_interest",
                    ledger.get("savings").intentId(),
                    "the 700-utterance intent matches");
            assertEquals(List.of(), ledger.duplicates(), "queries with more than one outcome");

            // Every dead letter is counted once, under its reason; the intent topic's one too.
            Map<String, Long> deadByReason =
                    QUERY_CASES.stream()
                            .filter(
                                    c ->
                                            !c.expected().equals("MATCHED")
                                                    && !c.expected().equals("FALLBACK"))
                            .collect(
                                    Collectors.groupingBy(
                                            QueryCase::expected, Collectors.counting()));
            deadByReason.merge(DeadLetters.REASON_CORRUPT_BODY, 1L, Long::sum); // the intent
            Function<String, Double> counted = r -> service.app().metrics().deadLetterCount(r);
            deadByReason.forEach(
                    (reason, n) -> assertEquals((double) n, counted.apply(reason), reason));

            // The broken vector record is left out and reported; nothing else is.
            HttpResponse<String> health =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:"
                                                                    + service.app().httpPort()
                                                                    + "/health"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            var body = JsonParser.parseString(health.body()).getAsJsonObject();
            assertEquals("DEGRADED", body.get("status").getAsString(), health.body());
            assertEquals(1, body.get("invalidIntentVectors").getAsInt());
            assertEquals(
                    1.0,
                    service.app()
                            .metrics()
                            .registry()
                            .get("intentstream.intent.vectors.invalid")
                            .counter()
                            .count(),
                    "counted once, however often the index is rebuilt");
        }
    }

    @Test
    void shouldRefuseHostileReleasesAndStillTakeALaterGoodOneWhenTheyArriveOnTheModelsTopic()
            throws Exception {
        Path store = stateDir.resolve("store");
        IntentStreamConfig config =
                ServiceHarness.config(
                        env.kafka(),
                        "hostilereleases",
                        stateDir.resolve("service"),
                        Map.of(IntentStreamConfig.MODEL_STORE_DIR_CONFIG, store.toString()));
        List<IntentDefinition> catalog = DemoCatalog.intents();
        try (LocalService service =
                        LocalService.start(config, ServiceHarness.createTopics(), env.model());
                ModelStore models = new ModelStore(store)) {
            ServiceHarness.serveCatalog(service, catalog, WAIT);
            String base = service.app().models().currentVersion();
            ModelManifest good =
                    models.store(env.model(), env.model().manifest().withVersion("v9", base));
            Path goodDir = models.modelDir("v9");

            // Weights that declare more than they hold, inside the store.
            Path overflow = copy(goodDir, store.resolve("models").resolve("v3"));
            Files.write(
                    overflow.resolve(ModelDirectory.WEIGHTS_FILE),
                    safetensors(
                            "{\"w\":{\"dtype\":\"F64\",\"shape\":[536870913],\"data_offsets\":[0,8]}}",
                            8));
            Path hugeHeader = copy(goodDir, store.resolve("models").resolve("v4"));
            Files.write(
                    hugeHeader.resolve(ModelDirectory.WEIGHTS_FILE),
                    ByteBuffer.allocate(66)
                            .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                            .putLong(2L * 1024 * 1024 * 1024)
                            .array());
            // A good model, but outside the store.
            Path outside = copy(goodDir, stateDir.resolve("elsewhere"));

            Topic<String, ModelRelease> topic = service.topic(Topics.MODELS);
            try (KafkaProducer<String, ModelRelease> producer =
                    new KafkaProducer<>(
                            service.clientConfig(),
                            new org.apache.kafka.common.serialization.StringSerializer(),
                            topic.valueSerde().serializer())) {
                long now = System.currentTimeMillis();
                producer.send(
                                new ProducerRecord<>(
                                        topic.name(),
                                        null,
                                        now,
                                        "v3",
                                        release("v3", overflow, sha(overflow), 1)))
                        .get();
                producer.send(
                                new ProducerRecord<>(
                                        topic.name(),
                                        null,
                                        now,
                                        "v4",
                                        release("v4", hugeHeader, sha(hugeHeader), 2)))
                        .get();
                producer.send(
                                new ProducerRecord<>(
                                        topic.name(),
                                        null,
                                        now,
                                        "v5",
                                        release("v5", outside, sha(outside), 3)))
                        .get();
                // The highest sequence and a timestamp half an hour ahead, with the wrong sha256.
                producer.send(
                                new ProducerRecord<>(
                                        topic.name(),
                                        null,
                                        now + 1_800_000L,
                                        "v6",
                                        release("v6", goodDir, "0".repeat(64), 1_000_000)))
                        .get();
            }
            var swapper = service.app().swapper();
            Awaitility.await()
                    .atMost(WAIT)
                    .until(
                            () ->
                                    swapper.failures("load") == 2
                                            && swapper.failures("uri") == 1
                                            && swapper.failures("sha256") == 1);
            assertEquals(
                    base, service.app().models().currentVersion(), "every hostile release refused");

            // A good release with a lower sequence than the refused one: refused releases moved
            // nothing.
            ModelRelease v9 = release("v9", goodDir, good.sha256(), 4);
            try (io.intentstream.encoder.DjlSentenceEncoder encoder =
                            new io.intentstream.encoder.DjlSentenceEncoder(env.model());
                    ReleasePublisher publisher =
                            new ReleasePublisher(
                                    service.clientConfig(),
                                    config.topicPrefix(),
                                    "hostile-publisher")) {
                publisher.publish(v9, encoder, catalog);
            }
            Awaitility.await()
                    .atMost(WAIT)
                    .until(() -> service.app().models().currentVersion().equals("v9"));
            var match = service.app().lookup().match("I forgot my password, how do I reset it?");
            assertEquals("v9", match.modelVersion());
            assertEquals(KafkaStreams.State.RUNNING, service.app().streams().state());
        }
    }

    private static ModelRelease release(String version, Path dir, String sha256, long sequence) {
        return ModelRelease.newBuilder()
                .setVersion(version)
                .setModelUri(dir.toUri().toString())
                .setSha256(sha256)
                .setSequence(sequence)
                .setCreatedAt(Instant.now())
                .build();
    }

    private static String sha(Path dir) throws java.io.IOException {
        return ModelDirectory.sha256(dir.resolve(ModelDirectory.WEIGHTS_FILE));
    }

    private static byte[] safetensors(String header, int dataBytes) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + json.length + dataBytes)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(json.length)
                .put(json)
                .array();
    }

    private static Path copy(Path from, Path to) throws java.io.IOException {
        try (var files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
