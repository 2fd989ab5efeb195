package io.intentstream.cli.loop;

import io.intentstream.avro.FeedbackOutcome;
import io.intentstream.avro.IntentDefinition;
import io.intentstream.avro.IntentMatch;
import io.intentstream.avro.MatchFeedback;
import io.intentstream.local.service.LabelledCatalog;
import io.intentstream.local.service.LocalService;
import io.intentstream.local.service.QueryFeeder;
import io.intentstream.cli.ServiceOptions;
import io.intentstream.schemas.Topic;
import io.intentstream.schemas.Topics;
import io.intentstream.streams.config.IntentStreamConfig;
import io.intentstream.streams.http.IntentLookup;
import io.intentstream.streams.matching.ScoredIntent;
import io.intentstream.trainer.config.TrainerConfig;
import io.intentstream.trainer.data.LabelledText;
import io.intentstream.trainer.data.LabelledTextReader;
import io.intentstream.trainer.job.TrainerJob;
import io.intentstream.trainer.publish.ReleaseRecord;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The learning loop end to end on a labelled data set: a small catalog, the rest of the training
 * file streamed through the service as queries, simulated agents confirming or correcting every
 * match with the true label, the trainer job fine-tuning and releasing, every instance swapping;
 * after each training run the test accuracy of the version in service is printed: each test text
 * looked up through the service's own matching (its model, and the vectors of that version in its
 * store: the catalog's utterances and the confirmed queries the release shipped).
 */
@Command(name = "loop", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The learning loop on a labelled data set (DIR/train.csv, DIR/test.csv with header text,label):",
                "catalog = the first --per-intent utterances of each label in train.csv; the rest streams in as queries in chunks of",
                "--release-every, each match confirmed or corrected with the true label; after each chunk the trainer job runs",
                "(fine-tune, gate, release) and the test accuracy of the version in service is printed."})
public final class DemoLoopCommand implements java.util.concurrent.Callable<Integer> {

    @Mixin ServiceOptions serviceOptions;
    @Mixin TrainerOptions trainerOptions;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Directory with train.csv and test.csv.")
    Path data;

    @Option(names = "--per-intent", defaultValue = "5", description = "Catalog utterances per intent. Default: ${DEFAULT-VALUE}.")
    int perIntent;

    @Option(names = "--release-every", defaultValue = "2000", description = "Queries (with feedback) per training run. Default: ${DEFAULT-VALUE}.")
    int releaseEvery;

    @Option(names = "--max-queries", defaultValue = "-1", description = "Stream at most this many queries (-1: all). Default: all.")
    int maxQueries;

    @Option(names = "--max-test", defaultValue = "-1", description = "Evaluate on at most this many test rows (-1: all). Default: all.")
    int maxTest;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Trainer state and model store (kept afterwards). Default: a new temporary directory.")
    Path workDir;

    @Option(names = "--chart", defaultValue = "demo-loop-report.html", paramLabel = "FILE", description = "Default: ${DEFAULT-VALUE}.")
    Path chart;

    @Option(names = "--seed", defaultValue = "42", description = "Order of the streamed queries. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--timeout", defaultValue = "PT30M", description = "Longest wait for the service per step (ISO-8601). Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long wallStart = System.nanoTime();
        List<LabelledText> train = LabelledTextReader.read(data.resolve("train.csv"));
        List<LabelledText> test = LabelledTextReader.read(data.resolve("test.csv"));
        if (maxTest > 0 && test.size() > maxTest) {
            test = new ArrayList<>(test);
            Collections.shuffle(test, new Random(seed));
            test = test.subList(0, maxTest);
        }
        Map<String, Integer> taken = new HashMap<>();
        List<LabelledText> catalogRows = new ArrayList<>();
        List<LabelledText> stream = new ArrayList<>();
        for (LabelledText row : train) {
            if (!row.outOfScope() && taken.merge(row.label(), 1, Integer::sum) <= perIntent) {
                catalogRows.add(row);
            } else {
                stream.add(row);
            }
        }
        Collections.shuffle(stream, new Random(seed));
        if (maxQueries >= 0 && stream.size() > maxQueries) {
            stream = stream.subList(0, maxQueries);
        }
        Path work = workDir != null ? workDir : Files.createTempDirectory("intent-stream-demo-loop-");
        Files.createDirectories(work);
        out.printf("catalog: %d utterances of %d intents; streaming %d queries in runs of %d; test: %d rows; work dir %s%n",
                catalogRows.size(), taken.size(), stream.size(), releaseEvery, test.size(), work.toAbsolutePath());
        out.flush();

        // The trainer runs in this JVM, and PyTorch's intra-op thread count is process-wide: one
        // stream thread leaves it at every core, which training needs.
        Map<String, Object> serviceDefaults = Map.of(
                IntentStreamConfig.HTTP_PORT_CONFIG, -1,
                IntentStreamConfig.FALLBACK_ENABLED_CONFIG, false,
                IntentStreamConfig.MODEL_RELEASES_ENABLED_CONFIG, true,
                IntentStreamConfig.STREAMS_PREFIX + StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        try (LocalService service = LocalService.start(serviceOptions.config(serviceDefaults, Map.of()), serviceOptions.launchOptions())) {
            List<IntentDefinition> catalog = LabelledCatalog.of(catalogRows, Map.of());
            service.loadCatalog(catalog);
            Set<String> ids = catalog.stream().map(i -> i.getIntentId().toString()).collect(Collectors.toSet());
            String version = service.awaitCatalog(ids, true, timeout);
            double zeroShot = testAccuracy(service, test);
            out.printf(Locale.ROOT, "%-8s zero-shot                                    test accuracy %.4f%n", version, zeroShot);
            out.flush();

            Map<String, Object> trainerDefaults = new HashMap<>();
            trainerDefaults.put(TrainerConfig.BOOTSTRAP_SERVERS_CONFIG, service.config().bootstrapServers());
            trainerDefaults.put(TrainerConfig.TOPIC_PREFIX_CONFIG, service.config().topicPrefix());
            trainerDefaults.put(TrainerConfig.STATE_DIR_CONFIG, work.resolve("trainer-state").toString());
            trainerDefaults.put(TrainerConfig.MODEL_STORE_DIR_CONFIG, work.resolve("model-store").toString());
            trainerDefaults.put(TrainerConfig.SCHEDULE_INTERVAL_MS_CONFIG, 0L);
            trainerDefaults.put(TrainerConfig.SCHEDULE_MIN_NEW_EXAMPLES_CONFIG, 0);
            TrainerConfig trainerConfig = trainerOptions.config(trainerDefaults, Map.of());

            Map<String, String> truth = new ConcurrentHashMap<>();
            List<String> runs = new ArrayList<>();
            List<Double> testAfterRun = new ArrayList<>();
            try (SimulatedAgents agents = new SimulatedAgents(service, truth);
                    QueryFeeder feeder = new QueryFeeder(service.clientConfig(), service.topic(Topics.QUERIES), Map.of());
                    TrainerJob job = new TrainerJob(trainerConfig)) {
                double previous = zeroShot;
                for (int from = 0; from < stream.size(); from += releaseEvery) {
                    List<LabelledText> chunk = stream.subList(from, Math.min(stream.size(), from + releaseEvery));
                    for (int i = 0; i < chunk.size(); i++) {
                        String queryId = "q-" + (from + i);
                        truth.put(queryId, chunk.get(i).label());
                        feeder.send(QueryFeeder.query(queryId, chunk.get(i).text(), "demo"));
                    }
                    feeder.flush();
                    long expected = from + chunk.size();
                    long deadline = System.nanoTime() + timeout.toNanos();
                    while (job.trainingSet().nextSequence() < expected) {
                        job.ingest();
                        if (agents.failure() != null) {
                            throw new IllegalStateException("the simulated agents failed", agents.failure());
                        }
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("only " + job.trainingSet().nextSequence() + " of " + expected
                                    + " training examples arrived within " + timeout);
                        }
                    }
                    ReleaseRecord run = job.runOnce().orElseThrow(() -> new IllegalStateException("the trainer found nothing to train on"));
                    if (run.released()) {
                        awaitVersion(service, run.version());
                    }
                    double acc = testAccuracy(service, test);
                    runs.add(run.version() + (run.released() ? "" : " (rejected)"));
                    testAfterRun.add(acc);
                    out.printf(Locale.ROOT, "%-8s %-8s after %5d examples, held-out %.4f (parent %.4f), loss %.4f: test accuracy %.4f (%+.2f pts) [%s]%n",
                            run.version(), run.status(), expected, run.metrics().getOrDefault("heldout.accuracy", Double.NaN),
                            run.metrics().getOrDefault("current.heldout.accuracy", Double.NaN), run.training().getOrDefault("loss", Double.NaN),
                            acc, 100 * (acc - previous), service.app().models().currentVersion());
                    out.flush();
                    previous = acc;
                }
                double[] testSeries = testAfterRun.stream().mapToDouble(Double::doubleValue).toArray();
                List<ReleaseRecord> history = job.modelStore().history();
                double wall = (System.nanoTime() - wallStart) / 1e9;
                Map<String, double[]> extra = new LinkedHashMap<>();
                extra.put("test accuracy of the version in service", testSeries);
                String html = ReportCommand.render(history, extra, List.of(
                        String.format(Locale.ROOT, "Zero-shot test accuracy %.4f; catalog of %d utterances per intent; %d queries streamed; wall time %.0f s.",
                                zeroShot, perIntent, stream.size(), wall)));
                Files.writeString(chart, html);
                out.printf(Locale.ROOT, "test accuracy: %.4f (zero-shot) -> %.4f; chart %s; wall time %.0f s%n", zeroShot,
                        testSeries.length == 0 ? zeroShot : testSeries[testSeries.length - 1], chart.toAbsolutePath(), wall);
                out.flush();
            }
        }
        return 0;
    }

    private void awaitVersion(LocalService service, String version) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!service.app().models().currentVersion().equals(version)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the service did not swap to " + version + " within " + timeout);
            }
            Thread.sleep(200);
        }
    }

    /** Share of test texts whose best intent, as the service matches them now, is their label. */
    private static double testAccuracy(LocalService service, List<LabelledText> test) {
        List<IntentLookup.Result> results = service.app().lookup().matchAll(test.stream().map(LabelledText::text).toList(), 1);
        int right = 0;
        for (int i = 0; i < test.size(); i++) {
            List<ScoredIntent> top = results.get(i).candidates();
            if (!top.isEmpty() && top.get(0).intentId().equals(test.get(i).label())) {
                right++;
            }
        }
        return (double) right / test.size();
    }

    /** Agents who look at every match and confirm it, or correct it to the true intent. */
    static final class SimulatedAgents implements AutoCloseable {
        private final KafkaConsumer<String, IntentMatch> matches;
        private final KafkaProducer<String, MatchFeedback> feedback;
        private final Topic<String, MatchFeedback> feedbackTopic;
        private final Map<String, String> truth;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong given = new AtomicLong();
        private final Thread thread;
        private volatile Throwable failure;

        SimulatedAgents(LocalService service, Map<String, String> truth) {
            this.truth = truth;
            Topic<String, IntentMatch> matchTopic = service.topic(Topics.MATCHES);
            Topic<String, IntentMatch> fallbackTopic = service.topic(Topics.FALLBACKS);
            this.feedbackTopic = service.topic(Topics.FEEDBACK);
            Map<String, Object> c = new HashMap<>(service.clientConfig());
            c.put(ConsumerConfig.GROUP_ID_CONFIG, "demo-loop-agents");
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            this.matches = new KafkaConsumer<>(c, new StringDeserializer(), matchTopic.valueSerde().deserializer());
            matches.subscribe(List.of(matchTopic.name(), fallbackTopic.name()));
            Map<String, Object> p = new HashMap<>(service.clientConfig());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            this.feedback = new KafkaProducer<>(p, new StringSerializer(), feedbackTopic.valueSerde().serializer());
            this.thread = new Thread(this::work, "demo-agents");
            thread.setDaemon(true);
            thread.start();
        }

        private void work() {
            try {
                while (running.get()) {
                    for (ConsumerRecord<String, IntentMatch> r : matches.poll(Duration.ofMillis(200))) {
                        String right = truth.get(r.key());
                        if (right == null || r.value() == null) {
                            continue;
                        }
                        String chosen = r.value().getChosenIntentId() == null ? null : r.value().getChosenIntentId().toString();
                        MatchFeedback f = MatchFeedback.newBuilder()
                                .setQueryId(r.key())
                                .setOutcome(right.equals(chosen) ? FeedbackOutcome.CONFIRMED : FeedbackOutcome.CORRECTED)
                                .setIntentId(right)
                                .setSource("agent:demo")
                                .setTimestamp(Instant.now())
                                .build();
                        feedback.send(new ProducerRecord<>(feedbackTopic.name(), r.key(), f));
                        given.incrementAndGet();
                    }
                    matches.commitAsync();
                }
            } catch (RuntimeException e) {
                if (running.get()) {
                    failure = e;
                }
            }
        }

        Throwable failure() {
            return failure;
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
            matches.close();
            feedback.close();
        }
    }
}
