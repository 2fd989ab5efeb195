package io.intentstream.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.intentstream.avro.IntentDefinition;
import io.intentstream.avro.ModelRelease;
import io.intentstream.avro.TrainingExample;
import io.intentstream.encoder.ModelLoader;
import io.intentstream.encoder.SentenceModel;
import io.intentstream.local.broker.EmbeddedKafka;
import io.intentstream.local.service.LocalService;
import io.intentstream.local.service.QueryFeeder;
import io.intentstream.schemas.Topic;
import io.intentstream.schemas.Topics;
import io.intentstream.streams.app.IntentStreamApp;
import io.intentstream.streams.config.IntentStreamConfig;
import io.intentstream.trainer.config.TrainerConfig;
import io.intentstream.trainer.job.TrainerMain;
import io.intentstream.trainer.publish.ModelStore;
import io.intentstream.trainer.publish.ReleaseLog;
import io.intentstream.trainer.publish.ReleaseRecord;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer job runs as its own process (its container entry point, {@link TrainerMain}) and is
 * killed with SIGKILL twice: in the middle of fine-tuning, then inside the release's Kafka
 * transaction (model stored, vectors and release sent, nothing committed yet; the job is held there
 * by {@link TrainerMain#PAUSE_BEFORE_COMMIT_PROPERTY}). After each kill the model store holds no
 * partial release and the models topic announces nothing; the next start releases a model whose
 * files match its announcement, and a service instance swaps to it.
 */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class TrainerKillIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
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
                        "need a new password"));
        QUERIES.put(
                "card_declined",
                List.of(
                        "payment with my visa failed",
                        "card refused at checkout",
                        "transaction declined by the bank",
                        "my debit card gets rejected"));
        QUERIES.put(
                "refund_request",
                List.of(
                        "return the money for my purchase",
                        "I would like a refund",
                        "refund for a cancelled order",
                        "reimburse me please"));
        QUERIES.put(
                "delivery_delay",
                List.of(
                        "package still not here",
                        "where is my order",
                        "shipment is delayed",
                        "my order never came"));
    }

    private static EmbeddedKafka kafka;

    @TempDir Path tmp;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldLeaveNoPartialReleaseAndReleaseCleanlyWhenTheTrainerIsKilledMidFitAndMidPublish()
            throws Exception {
        String prefix = "trainerkill" + System.nanoTime() + ".";
        Map<String, Object> clients = Map.of("bootstrap.servers", kafka.bootstrapServers());
        IntentStreamConfig service =
                new IntentStreamConfig(
                        Map.of(
                                IntentStreamConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                IntentStreamConfig.APPLICATION_ID_CONFIG,
                                prefix + "service",
                                IntentStreamConfig.TOPIC_PREFIX_CONFIG,
                                prefix,
                                IntentStreamConfig.HTTP_PORT_CONFIG,
                                -1,
                                IntentStreamConfig.MODEL_DEVICE_CONFIG,
                                "cpu",
                                IntentStreamConfig.STREAMS_PREFIX + "state.dir",
                                tmp.resolve("service").toString(),
                                IntentStreamConfig.MODEL_STORE_DIR_CONFIG,
                                tmp.resolve("store").toString()));
        LocalService.createTopics(service, 2);
        List<IntentDefinition> intents = new ArrayList<>();
        CATALOG.forEach((id, examples) -> intents.add(ServiceHarness.intent(id, id, examples)));
        QueryFeeder.publishCatalog(clients, Topics.INTENTS.withPrefix(prefix), intents);
        int examples = sendTrainingExamples(clients, prefix);

        Path store = tmp.resolve("store");
        Path state = tmp.resolve("trainer");
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(TrainerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        settings.put(TrainerConfig.TOPIC_PREFIX_CONFIG, prefix);
        settings.put(TrainerConfig.GROUP_ID_CONFIG, prefix + "trainer");
        settings.put(TrainerConfig.STATE_DIR_CONFIG, state.toString());
        settings.put(TrainerConfig.MODEL_STORE_DIR_CONFIG, store.toString());
        settings.put(TrainerConfig.MODEL_DEVICE_CONFIG, "cpu");
        settings.put(TrainerConfig.SCHEDULE_MIN_NEW_EXAMPLES_CONFIG, Integer.toString(examples));
        settings.put(TrainerConfig.SCHEDULE_INTERVAL_MS_CONFIG, "0");
        settings.put(TrainerConfig.HOLDOUT_FRACTION_CONFIG, "0.25");
        settings.put(TrainerConfig.BATCH_SIZE_CONFIG, "2");
        settings.put(TrainerConfig.POLL_TIMEOUT_MS_CONFIG, "200");
        // One step need not beat the base model; the gate has its own tests.
        settings.put(TrainerConfig.GATE_MIN_IMPROVEMENT_CONFIG, "-1.0");

        // (a) Killed mid-fit: enough epochs that the run cannot end before the kill.
        Map<String, String> longRun = new LinkedHashMap<>(settings);
        longRun.put(TrainerConfig.EPOCHS_CONFIG, "100");
        Path metrics = state.resolve(TrainerMain.METRICS_FILE);
        Path fitLog = tmp.resolve("fit.log");
        Process fitting = startTrainer(longRun, null, fitLog);
        try {
            awaitWhileAlive(fitting, fitLog, () -> stepsDone(metrics) >= 1);
            // A second trainer on the same store, with a state directory of its own, is refused
            // before it touches anything, and exits.
            Map<String, String> second = new LinkedHashMap<>(longRun);
            second.put(TrainerConfig.STATE_DIR_CONFIG, tmp.resolve("second-trainer").toString());
            Path secondLog = tmp.resolve("second.log");
            Process rival = startTrainer(second, null, secondLog);
            assertTrue(rival.waitFor(2, TimeUnit.MINUTES), "the second trainer did not exit");
            assertTrue(rival.exitValue() != 0, "the second trainer exited 0");
            assertTrue(
                    Files.readString(secondLog)
                            .contains("another trainer is writing to the model store"),
                    Files.readString(secondLog));
            assertTrue(
                    fitting.isAlive(),
                    "the first trainer was disturbed:\n" + Files.readString(fitLog));
        } finally {
            kill(fitting);
        }
        assertNoPartialRelease(store, clients, prefix);
        assertEquals(
                List.of(),
                ModelStore.open(store).storedVersions(),
                "a model was stored although the run was killed mid-fit");
        assertFalse(
                ReleaseLog.read(clients, prefix).current().isPresent(),
                "a release was announced although the run was killed mid-fit");

        // (b) Killed inside the release transaction: the model is stored, vectors and release are
        // sent, none committed.
        Map<String, String> shortRun = new LinkedHashMap<>(settings);
        shortRun.put(TrainerConfig.MAX_STEPS_CONFIG, "1");
        Path marker = tmp.resolve("paused-before-commit");
        Path publishLog = tmp.resolve("publish.log");
        Process publishing = startTrainer(shortRun, marker, publishLog);
        try {
            awaitWhileAlive(publishing, publishLog, () -> Files.exists(marker));
        } finally {
            kill(publishing);
        }
        assertTrue(
                recordsWritten(clients, Topics.MODELS.withPrefix(prefix)) > 0,
                "the kill came before the release was sent");
        assertEquals(
                1,
                ModelStore.open(store).storedVersions().size(),
                "the kill came before the model was stored");
        assertNoPartialRelease(store, clients, prefix);
        assertFalse(
                ReleaseLog.read(clients, prefix).current().isPresent(),
                "a release was announced although its transaction never committed");

        // The next start discards what was never announced, trains again and releases.
        Path nextLog = tmp.resolve("next.log");
        Process next = startTrainer(shortRun, null, nextLog);
        ModelRelease release;
        try {
            awaitWhileAlive(
                    next,
                    nextLog,
                    // The history record is written last; only then is the topic worth a consumer.
                    () ->
                            ModelStore.open(store).history().size() == 1
                                    && ReleaseLog.read(clients, prefix).current().isPresent());
            release = ReleaseLog.read(clients, prefix).current().orElseThrow();
        } finally {
            kill(next);
        }
        assertNoPartialRelease(store, clients, prefix);
        ModelStore models = ModelStore.open(store);
        assertEquals(List.of(release.getVersion()), models.storedVersions());
        List<ReleaseRecord> history = models.history();
        assertTrue(
                history.get(0).released() && history.get(0).version().equals(release.getVersion()),
                history.toString());
        assertEquals(
                models.modelDir(release.getVersion()), Path.of(URI.create(release.getModelUri())));

        // A service instance checks the release (sha256, load, canary, catalog vectors) and swaps
        // to it.
        try (SentenceModel base = ModelLoader.load("default", Device.cpu());
                IntentStreamApp app = IntentStreamApp.start(service, base)) {
            Awaitility.await()
                    .atMost(WAIT)
                    .until(() -> app.models().currentVersion().equals(release.getVersion()));
            assertEquals(
                    0.0,
                    app.swapper().failures("sha256")
                            + app.swapper().failures("load")
                            + app.swapper().failures("canary")
                            + app.swapper().failures("catalog"));
        }
    }

    /**
     * Every stored model is whole (its manifest's sha256 matches its weights) and every announced
     * release (committed) names a stored, whole model.
     */
    private static void assertNoPartialRelease(
            Path store, Map<String, Object> clients, String prefix) throws Exception {
        ModelStore models = ModelStore.open(store);
        for (String version : models.storedVersions()) {
            models.verify(version);
        }
        Optional<ModelRelease> announced = ReleaseLog.read(clients, prefix).current();
        if (announced.isPresent()) {
            assertTrue(
                    models.hasModel(announced.get().getVersion()),
                    "announced without a model: " + announced.get());
            assertEquals(announced.get().getSha256(), models.verify(announced.get().getVersion()));
        }
        for (ReleaseRecord r : models.history()) {
            if (r.released()) {
                assertEquals(r.sha256(), models.verify(r.version()), r.version());
            }
        }
    }

    /** Confirmed matches for every query, as the service's feedback join writes them. */
    private static int sendTrainingExamples(Map<String, Object> clients, String prefix)
            throws Exception {
        Topic<String, TrainingExample> topic = Topics.TRAINING_EXAMPLES.withPrefix(prefix);
        int n = 0;
        try (KafkaProducer<String, TrainingExample> producer =
                new KafkaProducer<>(
                        clients, new StringSerializer(), topic.valueSerde().serializer())) {
            for (Map.Entry<String, List<String>> e : QUERIES.entrySet()) {
                for (String text : e.getValue()) {
                    String id = "q" + n++;
                    producer.send(
                                    new ProducerRecord<>(
                                            topic.name(),
                                            id,
                                            TrainingExample.newBuilder()
                                                    .setQueryId(id)
                                                    .setText(text)
                                                    .setIntentId(e.getKey())
                                                    .setPredictedIntentId(e.getKey())
                                                    .setModelWasRight(true)
                                                    .setModelVersion("all-MiniLM-L6-v2")
                                                    .setSource("agent:test")
                                                    .setTimestamp(Instant.now())
                                                    .build()))
                            .get();
                }
            }
        }
        return n;
    }

    /** Records on a topic, committed or not (the high watermarks' sum). */
    private static long recordsWritten(Map<String, Object> clients, Topic<?, ?> topic) {
        Map<String, Object> config = new HashMap<>(clients);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            return consumer.endOffsets(partitions).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }
    }

    /** Fine-tuning steps done in the current run, from the trainer's metrics file; 0 while none. */
    private static long stepsDone(Path metrics) throws Exception {
        if (!Files.exists(metrics)) {
            return 0;
        }
        String text = Files.readString(metrics);
        if (!text.contains("intentstream_trainer_training 1")) {
            return 0;
        }
        return text.lines()
                .filter(l -> l.startsWith("intentstream_trainer_step "))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1).trim()))
                .findFirst()
                .orElse(0);
    }

    /**
     * Waits for {@code condition}; fails with the trainer's output if it dies or the wait runs out.
     */
    private static void awaitWhileAlive(Process trainer, Path log, Callable<Boolean> condition)
            throws Exception {
        try {
            Awaitility.await()
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> !trainer.isAlive() || condition.call());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "the trainer did not get there in " + WAIT + ":\n" + Files.readString(log), e);
        }
        assertTrue(trainer.isAlive(), "the trainer died:\n" + Files.readString(log));
    }

    /** The trainer's own entry point in a child JVM. */
    private static Process startTrainer(Map<String, String> settings, Path pauseMarker, Path log)
            throws Exception {
        List<String> jvmOptions =
                pauseMarker == null
                        ? List.of()
                        : List.of(
                                "-D"
                                        + TrainerMain.PAUSE_BEFORE_COMMIT_PROPERTY
                                        + "="
                                        + pauseMarker);
        List<String> args = new ArrayList<>();
        settings.forEach((k, v) -> args.add(k + "=" + v));
        return ServiceHarness.startJvm(TrainerMain.class, jvmOptions, args, log);
    }

    /** SIGKILL: no shutdown hook, no commit, no cleanup. */
    private static void kill(Process process) throws InterruptedException {
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the trainer did not die");
    }
}
