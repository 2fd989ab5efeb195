package io.intentstream.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.intentstream.avro.FeedbackOutcome;
import io.intentstream.avro.IntentDefinition;
import io.intentstream.avro.IntentMatch;
import io.intentstream.avro.MatchFeedback;
import io.intentstream.avro.ModelRelease;
import io.intentstream.encoder.DjlSentenceEncoder;
import io.intentstream.encoder.ModelDirectory;
import io.intentstream.encoder.ModelLoader;
import io.intentstream.encoder.SentenceModel;
import io.intentstream.local.service.LocalService;
import io.intentstream.local.service.QueryFeeder;
import io.intentstream.schemas.IntentEmbeddingKey;
import io.intentstream.schemas.Topic;
import io.intentstream.schemas.Topics;
import io.intentstream.streams.app.IntentStreamApp;
import io.intentstream.streams.config.IntentStreamConfig;
import io.intentstream.streams.topology.IntentTopology;
import io.intentstream.trainer.config.TrainerConfig;
import io.intentstream.trainer.job.TrainerJob;
import io.intentstream.trainer.publish.ReleaseExemplars;
import io.intentstream.trainer.publish.ReleasePublisher;
import io.intentstream.trainer.publish.ReleaseRecord;
import io.intentstream.trainer.publish.ReleaseRollback;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learning loop on the in-process broker with two service instances: catalog only, then queries
 * and feedback, then the trainer job releases v2 and both instances swap to it while queries keep
 * arriving. Every query gets exactly one outcome, each outcome's scores are those of the version it
 * names (recomputed here with that version's model), and queries sent after the swap are matched by
 * v2.
 */
@Tag("integration")
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class LearningLoopIT {

    private static final String SIGNING_KEY = "loop-signing-key";

    private static final int RELEASE_NEIGHBOURS = 3;
    private static final Map<String, List<String>> CATALOG = new LinkedHashMap<>();
    private static final Map<String, List<String>> QUERIES = new LinkedHashMap<>();

    static {
        CATALOG.put(
                "password_reset",
                List.of(
                        "I forgot my password",
                        "How do I reset my password?",
                        "My password is not accepted"));
        CATALOG.put(
                "card_declined",
                List.of(
                        "My card was declined",
                        "Why was my card payment refused?",
                        "The card payment did not go through"));
        CATALOG.put(
                "refund_request",
                List.of(
                        "I want my money back",
                        "How do I get a refund?",
                        "Please refund my order"));
        CATALOG.put(
                "delivery_delay",
                List.of("My parcel has not arrived", "Where is my delivery?", "The order is late"));
        QUERIES.put(
                "password_reset",
                List.of(
                        "cannot remember my login password",
                        "reset password link please",
                        "locked out, password forgotten",
                        "the password I type is rejected",
                        "need a new password",
                        "how to change a forgotten password"));
        QUERIES.put(
                "card_declined",
                List.of(
                        "payment with my visa failed",
                        "card refused at checkout",
                        "why does my card not work",
                        "transaction declined by the bank",
                        "my debit card gets rejected",
                        "card payment error"));
        QUERIES.put(
                "refund_request",
                List.of(
                        "return the money for my purchase",
                        "I would like a refund",
                        "give me my money back",
                        "refund for a cancelled order",
                        "how long does a refund take",
                        "reimburse me please"));
        QUERIES.put(
                "delivery_delay",
                List.of(
                        "package still not here",
                        "where is my order",
                        "shipment is delayed",
                        "tracking shows no progress",
                        "delivery is two weeks late",
                        "my order never came"));
    }

    @RegisterExtension static final BrokerAndModel env = new BrokerAndModel();

    @TempDir Path tmp;

    @Test
    void
            shouldSwapEveryInstanceToTheReleaseWhenTheTrainerPublishesOrRollsBackWithoutLosingOrDuplicatingQueries()
                    throws Exception {
        String prefix = "loop" + System.nanoTime() + ".";
        Map<String, Object> settings = new HashMap<>();
        settings.put(IntentStreamConfig.BOOTSTRAP_SERVERS_CONFIG, env.kafka().bootstrapServers());
        settings.put(IntentStreamConfig.APPLICATION_ID_CONFIG, prefix + "service");
        settings.put(IntentStreamConfig.TOPIC_PREFIX_CONFIG, prefix);
        settings.put(IntentStreamConfig.HTTP_PORT_CONFIG, -1);
        settings.put(IntentStreamConfig.MODEL_DEVICE_CONFIG, "cpu");
        // Releases are trusted from the trainer's store only, and only when signed with the key.
        settings.put(IntentStreamConfig.MODEL_STORE_DIR_CONFIG, tmp.resolve("store").toString());
        settings.put(IntentStreamConfig.RELEASE_SIGNING_KEY_CONFIG, SIGNING_KEY);
        IntentStreamConfig base = new IntentStreamConfig(settings);
        LocalService.createTopics(base, 2);
        IntentStreamConfig configA =
                base.with(
                        Map.of(
                                IntentStreamConfig.STREAMS_PREFIX + "state.dir",
                                tmp.resolve("a").toString()));
        IntentStreamConfig configB =
                base.with(
                        Map.of(
                                IntentStreamConfig.STREAMS_PREFIX + "state.dir",
                                tmp.resolve("b").toString()));
        Map<String, Object> clients = Map.of("bootstrap.servers", env.kafka().bootstrapServers());
        String baseVersion = env.model().version();

        Map<String, String> texts = new ConcurrentHashMap<>();
        Map<String, String> truth = new ConcurrentHashMap<>();
        try (IntentStreamApp a = IntentStreamApp.start(configA, env.model());
                IntentStreamApp b = IntentStreamApp.start(configB, env.model());
                Outcomes outcomes = new Outcomes(clients, prefix);
                QueryFeeder feeder =
                        new QueryFeeder(clients, Topics.QUERIES.withPrefix(prefix), Map.of())) {
            List<IntentDefinition> intents = new ArrayList<>();
            CATALOG.forEach(
                    (id, examples) ->
                            intents.add(
                                    IntentDefinition.newBuilder()
                                            .setIntentId(id)
                                            .setName(id)
                                            .setRoute(id)
                                            .setExamples(examples)
                                            .build()));
            QueryFeeder.publishCatalog(clients, Topics.INTENTS.withPrefix(prefix), intents);
            Awaitility.await()
                    .atMost(Duration.ofMinutes(3))
                    .until(
                            () ->
                                    served(a, baseVersion) == CATALOG.size()
                                            && served(b, baseVersion) == CATALOG.size());

            // Queries with feedback: agents confirm right matches and correct wrong ones.
            int n = 0;
            for (Map.Entry<String, List<String>> e : QUERIES.entrySet()) {
                for (String text : e.getValue()) {
                    String id = "before-" + n++;
                    texts.put(id, text);
                    truth.put(id, e.getKey());
                    feeder.send(QueryFeeder.query(id, text, "test"));
                }
            }
            feeder.flush();
            Awaitility.await()
                    .atMost(Duration.ofMinutes(3))
                    .until(() -> outcomes.ids().containsAll(truth.keySet()));
            try (KafkaProducer<String, MatchFeedback> feedback =
                    new KafkaProducer<>(
                            clients,
                            new StringSerializer(),
                            Topics.FEEDBACK.valueSerde().serializer())) {
                for (IntentMatch m : outcomes.all()) {
                    String right = truth.get(m.getQueryId().toString());
                    boolean wasRight =
                            m.getChosenIntentId() != null
                                    && right.equals(m.getChosenIntentId().toString());
                    feedback.send(
                            new ProducerRecord<>(
                                    Topics.FEEDBACK.withPrefix(prefix).name(),
                                    m.getQueryId().toString(),
                                    MatchFeedback.newBuilder()
                                            .setQueryId(m.getQueryId())
                                            .setIntentId(right)
                                            .setSource("agent:test")
                                            .setOutcome(
                                                    wasRight
                                                            ? FeedbackOutcome.CONFIRMED
                                                            : FeedbackOutcome.CORRECTED)
                                            .setTimestamp(Instant.now())
                                            .build()));
                }
            }

            Map<String, Object> trainerSettings = new HashMap<>();
            trainerSettings.put(
                    TrainerConfig.BOOTSTRAP_SERVERS_CONFIG, env.kafka().bootstrapServers());
            trainerSettings.put(TrainerConfig.TOPIC_PREFIX_CONFIG, prefix);
            trainerSettings.put(TrainerConfig.GROUP_ID_CONFIG, prefix + "trainer");
            trainerSettings.put(TrainerConfig.STATE_DIR_CONFIG, tmp.resolve("trainer").toString());
            trainerSettings.put(
                    TrainerConfig.MODEL_STORE_DIR_CONFIG, tmp.resolve("store").toString());
            trainerSettings.put(TrainerConfig.MODEL_DEVICE_CONFIG, "cpu");
            trainerSettings.put(TrainerConfig.RELEASE_SIGNING_KEY_CONFIG, SIGNING_KEY);
            trainerSettings.put(TrainerConfig.HOLDOUT_FRACTION_CONFIG, 0.25);
            // Releases name their own scoring, unlike the service's (1, plain nearest neighbour):
            // matches show which applied.
            trainerSettings.put(TrainerConfig.RELEASE_NEIGHBOURS_CONFIG, RELEASE_NEIGHBOURS);
            trainerSettings.put(TrainerConfig.BATCH_SIZE_CONFIG, 4);
            trainerSettings.put(TrainerConfig.MAX_STEPS_CONFIG, 2L);
            // Two steps on a handful of examples need not beat the base model; the gate's rule has
            // its own tests.
            trainerSettings.put(TrainerConfig.GATE_MIN_IMPROVEMENT_CONFIG, -1.0);
            ReleaseRecord release;
            AtomicBoolean keepSending = new AtomicBoolean(true);
            List<String> during = new CopyOnWriteArrayList<>();
            try (TrainerJob job = new TrainerJob(new TrainerConfig(trainerSettings))) {
                Awaitility.await()
                        .atMost(Duration.ofMinutes(3))
                        .until(
                                () -> {
                                    job.ingest();
                                    return job.trainingSet().nextSequence() >= truth.size()
                                            && job.trainingSet().catalog().size() == CATALOG.size();
                                });
                // Queries keep arriving while the trainer trains and the instances swap.
                Thread sender =
                        new Thread(
                                () -> {
                                    int i = 0;
                                    while (keepSending.get()) {
                                        String id = "during-" + i;
                                        String text = QUERIES.get("refund_request").get(i % 6);
                                        texts.put(id, text);
                                        during.add(id);
                                        feeder.send(QueryFeeder.query(id, text, "test"));
                                        feeder.flush();
                                        i++;
                                        Awaitility.await()
                                                .pollDelay(Duration.ofMillis(200))
                                                .until(() -> true);
                                    }
                                },
                                "during-swap-sender");
                sender.start();
                release = job.runOnce().orElseThrow();
                assertTrue(release.released(), release.reason());
                String v2 = release.version();
                Awaitility.await()
                        .atMost(Duration.ofMinutes(5))
                        .until(
                                () ->
                                        a.models().currentVersion().equals(v2)
                                                && b.models().currentVersion().equals(v2));
                keepSending.set(false);
                sender.join();
                List<String> after = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    String id = "after-" + i;
                    texts.put(id, QUERIES.get("card_declined").get(i % 6));
                    after.add(id);
                    feeder.send(QueryFeeder.query(id, texts.get(id), "test"));
                }
                feeder.flush();
                Set<String> sent = new HashSet<>(truth.keySet());
                sent.addAll(during);
                sent.addAll(after);
                Awaitility.await()
                        .atMost(Duration.ofMinutes(3))
                        .until(() -> outcomes.ids().containsAll(sent));
                Awaitility.await()
                        .pollDelay(Duration.ofSeconds(2))
                        .until(() -> true); // let any duplicate show up

                // Every query exactly once.
                Map<String, Integer> counts = new HashMap<>();
                outcomes.all()
                        .forEach(m -> counts.merge(m.getQueryId().toString(), 1, Integer::sum));
                assertEquals(sent, counts.keySet());
                counts.forEach((id, c) -> assertEquals(1, c, "outcomes of " + id));
                assertTrue(during.size() > 0, "queries were sent during the swap");

                // Every outcome names one of the two versions; before: base, after: v2.
                Map<String, IntentMatch> byId = new HashMap<>();
                outcomes.all().forEach(m -> byId.put(m.getQueryId().toString(), m));
                for (IntentMatch m : byId.values()) {
                    assertTrue(
                            Set.of(baseVersion, v2).contains(m.getModelVersion().toString()),
                            m.getModelVersion().toString());
                }
                truth.keySet()
                        .forEach(
                                id ->
                                        assertEquals(
                                                baseVersion,
                                                byId.get(id).getModelVersion().toString(),
                                                id));
                after.forEach(
                        id -> assertEquals(v2, byId.get(id).getModelVersion().toString(), id));

                // No match mixes versions: the top score is made of that version's query and intent
                // vectors
                // (v2's: the catalog's utterances and the confirmed queries it shipped), scored as
                // that version names.
                assertEquals(Integer.valueOf(RELEASE_NEIGHBOURS), release.neighbours());
                Path v2Dir = Path.of(java.net.URI.create(release.modelUri()));
                assertEquals(
                        release.sha256(),
                        ModelDirectory.sha256(v2Dir.resolve(ModelDirectory.WEIGHTS_FILE)));
                Map<String, List<String>> shipped = ReleaseExemplars.read(v2Dir);
                assertTrue(!shipped.isEmpty(), "v2 ships the confirmed queries as exemplars");
                assertEquals(
                        shipped.values().stream().mapToInt(List::size).sum(),
                        exemplarsServed(a, v2));
                try (SentenceModel v2Model = ModelLoader.load(v2Dir.toString(), Device.cpu());
                        DjlSentenceEncoder v2Encoder = new DjlSentenceEncoder(v2Model);
                        DjlSentenceEncoder baseEncoder = new DjlSentenceEncoder(env.model())) {
                    for (IntentMatch m : byId.values()) {
                        boolean isV2 = m.getModelVersion().toString().equals(v2);
                        DjlSentenceEncoder encoder = isV2 ? v2Encoder : baseEncoder;
                        String top = m.getCandidates().get(0).getIntentId().toString();
                        List<String> matched = new ArrayList<>(CATALOG.get(top));
                        if (isV2) {
                            matched.addAll(shipped.getOrDefault(top, List.of()));
                        }
                        int neighbours = isV2 ? RELEASE_NEIGHBOURS : 1;
                        double expected =
                                meanOfClosest(
                                        encoder,
                                        texts.get(m.getQueryId().toString()),
                                        matched,
                                        neighbours);
                        assertEquals(
                                expected,
                                m.getCandidates().get(0).getScore(),
                                2e-3,
                                "top score of " + m.getQueryId() + " under " + m.getModelVersion());
                    }
                }
                assertEquals(
                        0.0,
                        a.swapper().failures("canary")
                                + b.swapper().failures("catalog")
                                + a.swapper().failures("catalog")
                                + b.swapper().failures("canary"));

                // A later release, then a rollback to v2: every instance follows the most recently
                // published release.
                ReleaseRecord v3 = job.runOnce().orElseThrow();
                assertTrue(v3.released(), v3.reason());
                Awaitility.await()
                        .atMost(Duration.ofMinutes(5))
                        .until(
                                () ->
                                        a.models().currentVersion().equals(v3.version())
                                                && b.models()
                                                        .currentVersion()
                                                        .equals(v3.version()));
                ReleaseRollback.rollback(new TrainerConfig(trainerSettings), v2);
                Awaitility.await()
                        .atMost(Duration.ofMinutes(5))
                        .until(
                                () ->
                                        a.models().currentVersion().equals(v2)
                                                && b.models().currentVersion().equals(v2));
                feeder.send(QueryFeeder.query("after-rollback", "my card was refused", "test"));
                feeder.flush();
                Awaitility.await()
                        .atMost(Duration.ofMinutes(2))
                        .until(() -> outcomes.ids().contains("after-rollback"));
                IntentMatch rolledBack =
                        outcomes.all().stream()
                                .filter(m -> m.getQueryId().toString().equals("after-rollback"))
                                .findFirst()
                                .orElseThrow();
                assertEquals(v2, rolledBack.getModelVersion().toString());
                // The rollback republishes v2's scoring with its vectors.
                String rolledBackTop = rolledBack.getCandidates().get(0).getIntentId().toString();
                List<String> rolledBackMatched = new ArrayList<>(CATALOG.get(rolledBackTop));
                rolledBackMatched.addAll(shipped.getOrDefault(rolledBackTop, List.of()));
                try (SentenceModel v2Model = ModelLoader.load(v2Dir.toString(), Device.cpu());
                        DjlSentenceEncoder v2Encoder = new DjlSentenceEncoder(v2Model)) {
                    assertEquals(
                            meanOfClosest(
                                    v2Encoder,
                                    "my card was refused",
                                    rolledBackMatched,
                                    RELEASE_NEIGHBOURS),
                            rolledBack.getCandidates().get(0).getScore(),
                            2e-3,
                            "top score after the rollback");
                }
                assertEquals(
                        shipped.values().stream().mapToInt(List::size).sum(),
                        exemplarsServed(b, v2),
                        "the rollback republishes v2's exemplars");
                assertEquals(
                        List.of(v2, v3.version(), v2),
                        job.modelStore().history().stream().map(ReleaseRecord::version).toList());

                // A forged release of v3 (unsigned, the highest sequence, a timestamp half an hour
                // ahead)
                // is refused by every instance, which keep serving v2.
                ModelRelease forged =
                        ReleasePublisher.release(
                                ReleaseRecord.builder(v3.version(), v2)
                                        .sequence(Long.MAX_VALUE)
                                        .createdAt(System.currentTimeMillis())
                                        .released(
                                                v3.modelUri(),
                                                v3.sha256(),
                                                Map.of(),
                                                null,
                                                "forged"),
                                null);
                Topic<String, ModelRelease> models = Topics.MODELS.withPrefix(prefix);
                try (KafkaProducer<String, ModelRelease> producer =
                        new KafkaProducer<>(
                                clients,
                                new StringSerializer(),
                                models.valueSerde().serializer())) {
                    producer.send(
                                    new ProducerRecord<>(
                                            models.name(),
                                            null,
                                            System.currentTimeMillis() + 1_800_000L,
                                            v3.version(),
                                            forged))
                            .get();
                }
                Awaitility.await()
                        .atMost(Duration.ofMinutes(1))
                        .until(
                                () ->
                                        a.swapper().failures("signature") >= 1
                                                && b.swapper().failures("signature") >= 1);
                assertEquals(v2, a.models().currentVersion());
                assertEquals(v2, b.models().currentVersion());

                // Both instances stop; one restarts on A's state. It starts on the release in
                // service, v2, and matches its first query with it, having embedded nothing with
                // its base model.
                a.close();
                b.close();
                try (IntentStreamApp restarted = IntentStreamApp.start(configA, env.model())) {
                    assertEquals(
                            v2, restarted.models().currentVersion(), "serves v2 from the start");
                    feeder.send(QueryFeeder.query("after-restart", "my card was refused", "test"));
                    feeder.flush();
                    Awaitility.await()
                            .atMost(Duration.ofMinutes(2))
                            .until(() -> outcomes.ids().contains("after-restart"));
                    IntentMatch first =
                            outcomes.all().stream()
                                    .filter(m -> m.getQueryId().toString().equals("after-restart"))
                                    .findFirst()
                                    .orElseThrow();
                    assertEquals(v2, first.getModelVersion().toString());
                    assertEquals(
                            0.0,
                            restarted
                                    .metrics()
                                    .registry()
                                    .get("intentstream.catalog.intents.embedded")
                                    .counter()
                                    .count(),
                            "nothing re-embedded with the base model");
                    assertEquals(
                            CATALOG.size(),
                            restarted.catalogVectors().intents(v2).size(),
                            "v2's vectors are all still there");
                }
            }
        }
    }

    /**
     * The mean of the {@code neighbours} highest cosines between {@code query} and {@code
     * utterances}.
     */
    private static double meanOfClosest(
            DjlSentenceEncoder encoder, String query, List<String> utterances, int neighbours) {
        float[] q = encoder.encode(List.of(query))[0];
        List<Double> cosines = new ArrayList<>();
        for (float[] u : encoder.encode(utterances)) {
            double s = 0;
            for (int i = 0; i < q.length; i++) {
                s += q[i] * u[i];
            }
            cosines.add(s);
        }
        cosines.sort(java.util.Comparator.reverseOrder());
        return cosines.subList(0, Math.min(neighbours, cosines.size())).stream()
                .mapToDouble(Double::doubleValue)
                .average()
                .orElseThrow();
    }

    /** The exemplar vectors an instance holds for {@code version}. */
    private static int exemplarsServed(IntentStreamApp app, String version) {
        var store =
                app.streams()
                        .store(
                                StoreQueryParameters.fromNameAndType(
                                        IntentTopology.INTENT_EMBEDDINGS_STORE,
                                        QueryableStoreTypes
                                                .<String, io.intentstream.avro.IntentEmbedding>
                                                        keyValueStore()));
        int n = 0;
        try (var it =
                store.prefixScan(IntentEmbeddingKey.prefix(version), new StringSerializer())) {
            while (it.hasNext()) {
                var e = it.next().value;
                n += e == null ? 0 : e.getExemplars();
            }
        }
        return n;
    }

    private static int served(IntentStreamApp app, String version) {
        try {
            var store =
                    app.streams()
                            .store(
                                    StoreQueryParameters.fromNameAndType(
                                            IntentTopology.INTENT_EMBEDDINGS_STORE,
                                            QueryableStoreTypes
                                                    .<String, io.intentstream.avro.IntentEmbedding>
                                                            keyValueStore()));
            int n = 0;
            try (var it =
                    store.prefixScan(IntentEmbeddingKey.prefix(version), new StringSerializer())) {
                while (it.hasNext()) {
                    if (it.next().value != null) {
                        n++;
                    }
                }
            }
            return n;
        } catch (InvalidStateStoreException e) {
            return -1;
        }
    }

    /** Reads matches and fallbacks (committed only) as they come. */
    static final class Outcomes implements AutoCloseable {
        private final List<IntentMatch> all = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Outcomes(Map<String, Object> clients, String prefix) {
            Topic<String, IntentMatch> matches = Topics.MATCHES.withPrefix(prefix);
            Map<String, Object> c = new HashMap<>(clients);
            c.put(ConsumerConfig.GROUP_ID_CONFIG, prefix + "outcomes");
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            KafkaConsumer<String, IntentMatch> consumer =
                    new KafkaConsumer<>(
                            c, new StringDeserializer(), matches.valueSerde().deserializer());
            consumer.subscribe(List.of(matches.name(), Topics.FALLBACKS.withPrefix(prefix).name()));
            thread =
                    new Thread(
                            () -> {
                                try (consumer) {
                                    while (running.get()) {
                                        consumer.poll(Duration.ofMillis(200))
                                                .forEach(r -> all.add(r.value()));
                                    }
                                }
                            },
                            "outcomes");
            thread.start();
        }

        List<IntentMatch> all() {
            return all;
        }

        Set<String> ids() {
            Set<String> ids = new HashSet<>();
            all.forEach(m -> ids.add(m.getQueryId().toString()));
            return ids;
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }
}
