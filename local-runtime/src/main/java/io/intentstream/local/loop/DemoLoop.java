package io.intentstream.local.loop;

import io.intentstream.avro.IntentDefinition;
import io.intentstream.local.service.Await;
import io.intentstream.local.service.LabelledCatalog;
import io.intentstream.local.service.LocalService;
import io.intentstream.local.service.QueryFeeder;
import io.intentstream.matching.ScoredIntent;
import io.intentstream.schemas.Topics;
import io.intentstream.streams.config.IntentStreamConfig;
import io.intentstream.streams.http.IntentLookup;
import io.intentstream.trainer.config.TrainerConfig;
import io.intentstream.trainer.data.LabelledText;
import io.intentstream.trainer.data.LabelledTextReader;
import io.intentstream.trainer.job.TrainerJob;
import io.intentstream.trainer.publish.ReleaseRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
import java.util.stream.Collectors;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The learning loop end to end on a labelled data set: a small catalog, the rest of the training
 * file streamed through the service as queries, simulated agents confirming or correcting every
 * match with the true label, the trainer job fine-tuning and releasing, the service swapping; after
 * each training run the test accuracy of the version in service is printed: each test text looked
 * up through the service's own matching (its model, and the vectors of that version in its store:
 * the catalog's utterances and the confirmed queries the release shipped).
 */
public final class DemoLoop {

    private static final Duration SWAP_POLL_INTERVAL = Duration.ofMillis(200);

    /**
     * How to run the loop.
     *
     * @param data directory with {@code train.csv} and {@code test.csv} (header {@code text,label})
     * @param perIntent catalog utterances per intent, the first of each label in {@code train.csv}
     * @param releaseEvery queries (with feedback) per training run
     * @param maxQueries stream at most this many queries, or all when negative
     * @param maxTest evaluate on at most this many test rows, or all when not positive
     * @param workDir trainer state and model store, or null for a new temporary directory
     * @param chart where the HTML report goes
     * @param seed order of the streamed queries and of the test sample
     * @param timeout longest wait for the service or the trainer per step
     */
    public record Settings(
            Path data,
            int perIntent,
            int releaseEvery,
            int maxQueries,
            int maxTest,
            Path workDir,
            Path chart,
            long seed,
            Duration timeout) {}

    /** Builds a typed configuration from a command's defaults and whatever the user set on top. */
    @FunctionalInterface
    public interface ConfigSource<C> {
        C config(Map<String, ?> defaults) throws IOException;
    }

    private final Settings settings;
    private final Clock clock;

    public DemoLoop(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Runs the loop, printing a line per training run to {@code out}, and writes the chart.
     *
     * @param serviceConfig the service's configuration over the loop's defaults (HTTP off, no
     *     fallback, model releases on, one stream thread)
     * @param launch how the broker and topics are set up around the service
     * @param trainerConfig the trainer's configuration over the loop's defaults (this service's
     *     cluster and topics, state under the work directory, no schedule)
     */
    public void run(
            ConfigSource<IntentStreamConfig> serviceConfig,
            LocalService.Options launch,
            ConfigSource<TrainerConfig> trainerConfig,
            PrintWriter out)
            throws Exception {
        Instant wallStart = clock.instant();
        List<LabelledText> train = LabelledTextReader.read(settings.data().resolve("train.csv"));
        List<LabelledText> test =
                testSample(LabelledTextReader.read(settings.data().resolve("test.csv")));
        Map<String, Integer> taken = new HashMap<>();
        List<LabelledText> catalogRows = new ArrayList<>();
        List<LabelledText> stream = new ArrayList<>();
        for (LabelledText row : train) {
            if (!row.outOfScope()
                    && taken.merge(row.label(), 1, Integer::sum) <= settings.perIntent()) {
                catalogRows.add(row);
            } else {
                stream.add(row);
            }
        }
        Collections.shuffle(stream, new Random(settings.seed()));
        if (settings.maxQueries() >= 0 && stream.size() > settings.maxQueries()) {
            stream = stream.subList(0, settings.maxQueries());
        }
        Path work =
                settings.workDir() != null
                        ? settings.workDir()
                        : Files.createTempDirectory("intent-stream-demo-loop-");
        Files.createDirectories(work);
        out.printf(
                "catalog: %d utterances of %d intents; streaming %d queries in runs of %d; test: %d"
                        + " rows; work dir %s%n",
                catalogRows.size(),
                taken.size(),
                stream.size(),
                settings.releaseEvery(),
                test.size(),
                work.toAbsolutePath());
        out.flush();

        // The trainer runs in this JVM, and PyTorch's intra-op thread count is process-wide: one
        // stream thread leaves it at every core, which training needs.
        Map<String, Object> serviceDefaults =
                Map.of(
                        IntentStreamConfig.HTTP_PORT_CONFIG,
                        -1,
                        IntentStreamConfig.FALLBACK_ENABLED_CONFIG,
                        false,
                        IntentStreamConfig.MODEL_RELEASES_ENABLED_CONFIG,
                        true,
                        IntentStreamConfig.MODEL_STORE_DIR_CONFIG,
                        work.resolve("model-store").toString(),
                        IntentStreamConfig.STREAMS_PREFIX + StreamsConfig.NUM_STREAM_THREADS_CONFIG,
                        1);
        try (LocalService service =
                LocalService.start(serviceConfig.config(serviceDefaults), launch)) {
            List<IntentDefinition> catalog = LabelledCatalog.of(catalogRows, Map.of());
            service.loadCatalog(catalog);
            Set<String> ids =
                    catalog.stream()
                            .map(i -> i.getIntentId().toString())
                            .collect(Collectors.toSet());
            String version = service.awaitCatalog(ids, true, settings.timeout());
            double zeroShot = testAccuracy(service, test);
            out.printf(
                    Locale.ROOT,
                    "%-8s zero-shot                                    test accuracy %.4f%n",
                    version,
                    zeroShot);
            out.flush();

            Map<String, Object> trainerDefaults = new HashMap<>();
            trainerDefaults.put(
                    TrainerConfig.BOOTSTRAP_SERVERS_CONFIG, service.config().bootstrapServers());
            trainerDefaults.put(TrainerConfig.TOPIC_PREFIX_CONFIG, service.config().topicPrefix());
            trainerDefaults.put(
                    TrainerConfig.STATE_DIR_CONFIG, work.resolve("trainer-state").toString());
            trainerDefaults.put(
                    TrainerConfig.MODEL_STORE_DIR_CONFIG, work.resolve("model-store").toString());
            trainerDefaults.put(TrainerConfig.SCHEDULE_INTERVAL_MS_CONFIG, 0L);
            trainerDefaults.put(TrainerConfig.SCHEDULE_MIN_NEW_EXAMPLES_CONFIG, 0);

            Map<String, String> truth = new ConcurrentHashMap<>();
            List<Double> testAfterRun = new ArrayList<>();
            try (SimulatedAgents agents = new SimulatedAgents(service, truth);
                    QueryFeeder feeder =
                            new QueryFeeder(
                                    service.clientConfig(),
                                    service.topic(Topics.QUERIES),
                                    Map.of());
                    TrainerJob job = new TrainerJob(trainerConfig.config(trainerDefaults))) {
                double previous = zeroShot;
                for (int from = 0; from < stream.size(); from += settings.releaseEvery()) {
                    List<LabelledText> chunk =
                            stream.subList(
                                    from, Math.min(stream.size(), from + settings.releaseEvery()));
                    for (int i = 0; i < chunk.size(); i++) {
                        String queryId = "q-" + (from + i);
                        truth.put(queryId, chunk.get(i).label());
                        feeder.send(QueryFeeder.query(queryId, chunk.get(i).text(), "demo"));
                    }
                    feeder.flush();
                    long expected = from + chunk.size();
                    awaitExamples(job, agents, expected);
                    ReleaseRecord run =
                            job.runOnce()
                                    .orElseThrow(
                                            () ->
                                                    new IllegalStateException(
                                                            "the trainer found nothing to train"
                                                                    + " on"));
                    if (run.released()) {
                        awaitVersion(service, run.version());
                    }
                    double acc = testAccuracy(service, test);
                    testAfterRun.add(acc);
                    out.printf(
                            Locale.ROOT,
                            "%-8s %-8s after %5d examples, held-out %.4f (parent %.4f), loss %.4f:"
                                    + " test accuracy %.4f (%+.2f pts) [%s]%n",
                            run.version(),
                            run.status(),
                            expected,
                            run.metrics().getOrDefault("heldout.accuracy", Double.NaN),
                            run.metrics().getOrDefault("current.heldout.accuracy", Double.NaN),
                            run.training().getOrDefault("loss", Double.NaN),
                            acc,
                            100 * (acc - previous),
                            service.app().models().currentVersion());
                    out.flush();
                    previous = acc;
                }
                double[] testSeries =
                        testAfterRun.stream().mapToDouble(Double::doubleValue).toArray();
                double wall = Duration.between(wallStart, clock.instant()).toMillis() / 1e3;
                Map<String, double[]> extra = new LinkedHashMap<>();
                extra.put("test accuracy of the version in service", testSeries);
                String html =
                        ReleaseReport.html(
                                job.modelStore().history(),
                                extra,
                                List.of(
                                        String.format(
                                                Locale.ROOT,
                                                "Zero-shot test accuracy %.4f; catalog of %d"
                                                    + " utterances per intent; %d queries streamed;"
                                                    + " wall time %.0f s.",
                                                zeroShot,
                                                settings.perIntent(),
                                                stream.size(),
                                                wall)));
                Files.writeString(settings.chart(), html);
                out.printf(
                        Locale.ROOT,
                        "test accuracy: %.4f (zero-shot) -> %.4f; chart %s; wall time %.0f s%n",
                        zeroShot,
                        testSeries.length == 0 ? zeroShot : testSeries[testSeries.length - 1],
                        settings.chart().toAbsolutePath(),
                        wall);
                out.flush();
            }
        }
    }

    private List<LabelledText> testSample(List<LabelledText> test) {
        if (settings.maxTest() > 0 && test.size() > settings.maxTest()) {
            List<LabelledText> shuffled = new ArrayList<>(test);
            Collections.shuffle(shuffled, new Random(settings.seed()));
            return shuffled.subList(0, settings.maxTest());
        }
        return test;
    }

    /**
     * Ingests until the trainer holds {@code expected} examples; each ingest is a blocking poll
     * with a timeout.
     */
    private void awaitExamples(TrainerJob job, SimulatedAgents agents, long expected) {
        Instant deadline = clock.instant().plus(settings.timeout());
        while (job.trainingSet().nextSequence() < expected) {
            job.ingest();
            if (agents.failure() != null) {
                throw new IllegalStateException("the simulated agents failed", agents.failure());
            }
            if (clock.instant().isAfter(deadline)) {
                throw new IllegalStateException(
                        "only "
                                + job.trainingSet().nextSequence()
                                + " of "
                                + expected
                                + " training examples arrived within "
                                + settings.timeout());
            }
        }
    }

    private void awaitVersion(LocalService service, String version) throws InterruptedException {
        if (!Await.until(
                clock,
                settings.timeout(),
                SWAP_POLL_INTERVAL,
                () -> service.app().models().currentVersion().equals(version))) {
            throw new IllegalStateException(
                    "the service did not swap to " + version + " within " + settings.timeout());
        }
    }

    /** Share of test texts whose best intent, as the service matches them now, is their label. */
    private static double testAccuracy(LocalService service, List<LabelledText> test) {
        List<IntentLookup.Result> results =
                service.app().lookup().matchAll(test.stream().map(LabelledText::text).toList(), 1);
        int right = 0;
        for (int i = 0; i < test.size(); i++) {
            List<ScoredIntent> top = results.get(i).candidates();
            if (!top.isEmpty() && top.get(0).intentId().equals(test.get(i).label())) {
                right++;
            }
        }
        return (double) right / test.size();
    }
}
