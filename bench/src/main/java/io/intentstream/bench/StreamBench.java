package io.intentstream.bench;

import io.intentstream.avro.IntentDefinition;
import io.intentstream.avro.IntentMatch;
import io.intentstream.encoder.DjlSentenceEncoder;
import io.intentstream.encoder.EncoderOptions;
import io.intentstream.encoder.SentenceEncoder;
import io.intentstream.encoder.SentenceModel;
import io.intentstream.encoder.TorchThreads;
import io.intentstream.local.service.DemoCatalog;
import io.intentstream.local.service.LocalService;
import io.intentstream.local.service.Outcome;
import io.intentstream.local.service.OutcomeLedger;
import io.intentstream.local.service.OutcomeTail;
import io.intentstream.local.service.QueryFeeder;
import io.intentstream.schemas.Topics;
import io.intentstream.streams.app.IntentStreamApp;
import io.intentstream.streams.config.IntentStreamConfig;
import java.io.PrintWriter;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Throughput and produce-to-match latency of the running service on a real broker with exactly-once
 * processing, beside the encoder's own throughput on the same texts and batch size measured in the
 * same run.
 */
public final class StreamBench {

    /**
     * What to measure.
     *
     * @param config the service's configuration, with its own application id and topics
     * @param launch how the broker and topics are set up around it
     * @param texts query texts, cycled as needed
     * @param queries queries per measured phase
     * @param warmup queries per warm-up round
     * @param warmupJitCores warm up until a full-speed and a half-load round in a row each keep the
     *     JIT below this share of a core
     * @param warmupMax longest warm-up, after which measuring starts regardless
     * @param timeout longest wait for one phase's outcomes
     */
    public record Settings(
            IntentStreamConfig config,
            LocalService.Options launch,
            List<String> texts,
            int queries,
            int warmup,
            double warmupJitCores,
            Duration warmupMax,
            Duration timeout) {
        public Settings {
            texts = List.copyOf(texts);
        }
    }

    private final Settings settings;
    private final int warmup;
    private final double warmupJitCores;
    private final Duration warmupMax;

    public StreamBench(Settings settings) {
        this.settings = settings;
        this.warmup = settings.warmup();
        this.warmupJitCores = settings.warmupJitCores();
        this.warmupMax = settings.warmupMax();
    }

    /** One measured phase. */
    record Phase(
            String name,
            double offeredPerSecond,
            int count,
            double seconds,
            LatencyStats latency,
            LatencyBreakdown stages,
            double meanBatch,
            double embedMillisPerQuery,
            double jitCores,
            Map<String, Double> coresByGroup,
            double machineCores) {
        double throughput() {
            return count / seconds;
        }
    }

    /**
     * Runs the encoder alone, the service's phases on {@code model}, and the encoder alone again;
     * prints each to {@code out} and records them in {@code report}. The caller keeps and closes
     * {@code model}.
     */
    public void run(SentenceModel model, PrintWriter out, BenchReport report) throws Exception {
        IntentStreamConfig config = settings.config();
        List<String> texts = settings.texts();
        int queries = settings.queries();
        Duration timeout = settings.timeout();
        int batch = config.batchMaxSize();
        report.setting("texts", texts.size())
                .setting("queries", queries)
                .setting("batchMaxSize", batch)
                .setting("batchMaxWaitMs", config.batchMaxWaitMs())
                .setting("streamThreads", config.streamThreads())
                .setting("partitions", settings.launch().partitions())
                .setting("warmup", warmup)
                .setting("warmupJitCores", warmupJitCores)
                .setting("warmupMax", warmupMax.toString());
        out.printf(
                "stream benchmark: %d distinct texts, %d queries per phase, batch.max.size %d,"
                        + " batch.max.wait.ms %d, %d cores%n",
                texts.size(),
                queries,
                batch,
                config.batchMaxWaitMs(),
                Runtime.getRuntime().availableProcessors());
        out.flush();

        IntentStreamApp.applyIntraOpThreads(config);
        // The encoder alone before and after the service's phases, with as many concurrent callers
        // as the service has stream threads: on a shared machine the CPU available drifts, and the
        // ratio is taken against the faster of the two, so that a slow encoder run cannot flatter
        // it.
        int callers = config.streamThreads();
        Supplier<SentenceEncoder> serviceEncoder =
                () -> new DjlSentenceEncoder(model, EncoderOptions.DEFAULT.withBatchSize(batch));
        EncoderBenchmark.Result before =
                encoderAlone(cycle(texts, queries), callers, batch, serviceEncoder);
        printEncoder(out, "encoder alone before", before, batch, callers);

        Phase saturation;
        Phase half;
        try (LocalService service = LocalService.start(config, settings.launch(), model)) {
            out.printf(
                    "service on %s, processing.guarantee %s, partitions %d%n",
                    service.config().bootstrapServers(),
                    service.config().streamsProperties(Map.of()).get("processing.guarantee"),
                    settings.launch().partitions());
            List<IntentDefinition> intents = DemoCatalog.intents();
            service.loadCatalog(intents);
            Set<String> ids =
                    intents.stream()
                            .map(i -> i.getIntentId().toString())
                            .collect(Collectors.toSet());
            service.awaitCatalog(ids, true, timeout);
            OutcomeLedger ledger = new OutcomeLedger();
            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            try (OutcomeTail tail = service.followOutcomes(false, ledger);
                    QueryFeeder feeder =
                            new QueryFeeder(
                                    service.clientConfig(),
                                    service.topic(Topics.QUERIES),
                                    Map.of("linger.ms", 1))) {
                Phases phases =
                        new Phases(feeder, ledger, sentAt, texts, timeout, config.applicationId());
                warmUp(out, phases);
                saturation = phases.run("saturation", queries, 0);
                print(out, saturation, before.sentencesPerSecond());
                report.row(row(saturation, before.sentencesPerSecond()));
                printThreadTimes(out, service.app().streams());
                half = phases.run("half load", queries / 2, saturation.throughput() / 2);
                print(out, half, before.sentencesPerSecond());
                report.row(row(half, before.sentencesPerSecond()));
                printThreadTimes(out, service.app().streams());
                if (!ledger.duplicates().isEmpty()) {
                    out.printf("WARNING: %d duplicate outcomes%n", ledger.duplicates().size());
                }
            }
        }
        EncoderBenchmark.Result after =
                encoderAlone(cycle(texts, queries), callers, batch, serviceEncoder);
        printEncoder(out, "encoder alone after", after, batch, callers);
        double encoder = Math.max(before.sentencesPerSecond(), after.sentencesPerSecond());
        double encoderMean = (before.sentencesPerSecond() + after.sentencesPerSecond()) / 2;
        out.printf(
                "%nstream/encoder throughput ratio at saturation: %.2f (%.1f queries/s vs the"
                        + " encoder's faster run %.1f; %.2f vs the mean of its two runs)%n",
                saturation.throughput() / encoder,
                saturation.throughput(),
                encoder,
                saturation.throughput() / encoderMean);
        out.printf(
                "produce-to-match latency at half saturation: p50 %.1f ms, p99 %.1f ms%n",
                half.latency().percentileMillis(50), half.latency().percentileMillis(99));
        report.summary("encoderBeforePerSecond", before.sentencesPerSecond())
                .summary("encoderAfterPerSecond", after.sentencesPerSecond())
                .summary("saturationPerSecond", saturation.throughput())
                .summary("streamToEncoderRatio", saturation.throughput() / encoder)
                .summary("streamToEncoderMeanRatio", saturation.throughput() / encoderMean)
                .summary("halfLoadP50Millis", half.latency().percentileMillis(50))
                .summary("halfLoadP99Millis", half.latency().percentileMillis(99));
        out.flush();
    }

    private static Map<String, Object> row(Phase p, double encoderPerSecond) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("phase", p.name());
        row.put("offeredPerSecond", p.offeredPerSecond() <= 0 ? null : p.offeredPerSecond());
        row.put("queries", p.count());
        row.put("seconds", p.seconds());
        row.put("achievedPerSecond", p.throughput());
        row.put("ofEncoder", p.throughput() / encoderPerSecond);
        row.put("p50Millis", p.latency().percentileMillis(50));
        row.put("p99Millis", p.latency().percentileMillis(99));
        row.put("meanBatch", p.meanBatch());
        row.put("embedMillisPerQuery", p.embedMillisPerQuery());
        row.put("jitCores", p.jitCores());
        row.put("coresByGroup", p.coresByGroup());
        row.put("machineCores", p.machineCores());
        return row;
    }

    /**
     * Rounds of queries, alternately as fast as possible and at half the speed the last fast round
     * achieved, until a round of each kind passes with the JIT nearly idle. The broker, the clients
     * and Kafka Streams share this JVM; while the JIT compiles their code it takes CPU from the
     * encoder, and code compiled under full load is deoptimised and recompiled at the first light
     * load (empty polls, batches flushed by the timer), so both loads must be warmed up.
     */
    private void warmUp(PrintWriter out, Phases phases) throws InterruptedException {
        long deadline = System.nanoTime() + warmupMax.toNanos();
        double fullSpeed = 0;
        boolean previousQuiet = false;
        for (int round = 1; ; round++) {
            boolean paced = round % 2 == 0;
            Phase p = phases.run("warm-up " + round, warmup, paced ? fullSpeed / 2 : 0);
            if (!paced) {
                fullSpeed = p.throughput();
            }
            out.printf(
                    "warm-up %-4d %-10s achieved %8.1f queries/s, JIT %.2f of a core%n",
                    round, paced ? "half load" : "full speed", p.throughput(), p.jitCores());
            out.flush();
            boolean quiet = p.jitCores() < warmupJitCores;
            if (quiet && previousQuiet) {
                return;
            }
            previousQuiet = quiet;
            if (System.nanoTime() >= deadline) {
                out.printf(
                        "warm-up: the JIT still used %.2f of a core after %s; measuring anyway%n",
                        p.jitCores(), warmupMax);
                return;
            }
        }
    }

    /**
     * Where the stream threads spent their time (Kafka Streams' own metrics, over its recent sample
     * window): under exactly-once every outcome waits for a commit, and time not spent processing
     * or punctuating is time the encoder stood idle.
     */
    private static void printThreadTimes(PrintWriter out, KafkaStreams streams) {
        Map<String, Double> values = new HashMap<>();
        streams.metrics()
                .forEach(
                        (name, metric) -> {
                            if (name.group().equals("stream-thread-metrics")
                                    && metric.metricValue() instanceof Number n
                                    && Double.isFinite(n.doubleValue())) {
                                values.merge(name.name(), n.doubleValue(), Math::max);
                            }
                        });
        out.printf(
                "             stream thread time: poll %.0f %%, process %.0f %%, punctuate %.0f %%,"
                        + " commit %.0f %%; commit latency avg %.1f ms, max %.1f ms%n",
                100 * values.getOrDefault("poll-ratio", Double.NaN),
                100 * values.getOrDefault("process-ratio", Double.NaN),
                100 * values.getOrDefault("punctuate-ratio", Double.NaN),
                100 * values.getOrDefault("commit-ratio", Double.NaN),
                values.getOrDefault("commit-latency-avg", Double.NaN),
                values.getOrDefault("commit-latency-max", Double.NaN));
        out.flush();
    }

    private static void printEncoder(
            PrintWriter out, String name, EncoderBenchmark.Result r, int batch, int callers) {
        int intraOp = TorchThreads.intraOp();
        out.printf(
                "%-21s %8.1f queries/s  (batch %d, same texts, %d concurrent caller%s, %d intra-op"
                        + " thread%s, p50 %.1f ms per batch)%n",
                name,
                r.sentencesPerSecond(),
                batch,
                callers,
                callers == 1 ? "" : "s",
                intraOp,
                intraOp == 1 ? "" : "s",
                r.p50Millis());
        out.flush();
    }

    /**
     * The encoder alone, its texts dealt round-robin to {@code callers} threads that encode their
     * share at the same time (as the service's stream threads do); the throughput is all texts over
     * the longest caller's time, the latency that of the first caller.
     */
    private EncoderBenchmark.Result encoderAlone(
            List<String> all, int callers, int batch, Supplier<SentenceEncoder> encoder)
            throws InterruptedException, ExecutionException {
        List<Future<EncoderBenchmark.Result>> shares = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            for (int c = 0; c < callers; c++) {
                List<String> share = new ArrayList<>();
                for (int i = c; i < all.size(); i += callers) {
                    share.add(all.get(i));
                }
                EncoderBenchmark bench = new EncoderBenchmark(share, warmup / callers);
                shares.add(pool.submit(() -> bench.run("djl", "in-order", batch, false, encoder)));
            }
            double longest = 0;
            for (Future<EncoderBenchmark.Result> share : shares) {
                longest = Math.max(longest, share.get().seconds());
            }
            EncoderBenchmark.Result first = shares.get(0).get();
            return new EncoderBenchmark.Result(
                    "djl",
                    "in-order",
                    batch,
                    all.size(),
                    longest,
                    first.p50Millis(),
                    first.p99Millis(),
                    first.peakRssMiB());
        } finally {
            pool.shutdownNow();
        }
    }

    /** One phase, with its throughput against the encoder measured before the phases. */
    private static void print(PrintWriter out, Phase p, double encoderPerSecond) {
        out.printf(
                "%-12s offered %8s  achieved %8.1f queries/s (%.2f of encoder)  latency p50 %7.1f"
                    + " ms  p99 %7.1f ms  (%d queries, %.1f s, mean batch %.1f, embedding %.2f ms a"
                    + " query, JIT %.2f of a core)%n",
                p.name(),
                p.offeredPerSecond() <= 0 ? "max" : String.format("%.1f/s", p.offeredPerSecond()),
                p.throughput(),
                p.throughput() / encoderPerSecond,
                p.latency().percentileMillis(50),
                p.latency().percentileMillis(99),
                p.count(),
                p.seconds(),
                p.meanBatch(),
                p.embedMillisPerQuery(),
                p.jitCores());
        StringBuilder cpu = new StringBuilder();
        p.coresByGroup()
                .forEach((group, cores) -> cpu.append(String.format(", %s %.2f", group, cores)));
        out.printf(
                "%-12s cores used: %s; the whole machine %.2f of %d%n",
                "", cpu.substring(2), p.machineCores(), Runtime.getRuntime().availableProcessors());
        out.printf(
                "%-12s of which: produced to match made p50 %7.1f ms  p99 %7.1f ms;  match made to"
                        + " read (commit and fetch) p50 %7.1f ms  p99 %7.1f ms%n",
                "",
                p.stages().toMatchMadeMillis(50),
                p.stages().toMatchMadeMillis(99),
                p.stages().madeToReadMillis(50),
                p.stages().madeToReadMillis(99));
        for (String line : p.stages().describe()) {
            out.printf("%-12s %s%n", "", line);
        }
        out.flush();
    }

    /** Sends one phase's queries (as fast as possible, or paced) and measures their outcomes. */
    private static final String CPU_SERVICE = "service (stream threads and their PyTorch workers)";

    // Kafka names a producer's I/O thread "kafka-producer-network-thread | <client id>", which
    // Linux
    // cuts to 15 characters: the service's and the bench's cannot be told apart.
    private static final String CPU_CLIENT_IO =
            "Kafka clients' I/O threads (service's and bench's)";
    private static final String CPU_DRIVER = "bench driver (main thread, outcome reader)";
    private static final List<String> CPU_GROUPS =
            List.of(CPU_SERVICE, CPU_CLIENT_IO, "broker and other", "JIT", "GC and VM", CPU_DRIVER);

    private record Phases(
            QueryFeeder feeder,
            OutcomeLedger ledger,
            Map<String, Long> sentAt,
            List<String> texts,
            Duration timeout,
            String applicationId) {

        Phase run(String name, int count, double perSecond) throws InterruptedException {
            String prefix = name.replace(' ', '-') + "-";
            List<String> ids = new ArrayList<>(count);
            CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
            ThreadCpu cpuAtStart = ThreadCpu.now();
            long jitMillisAtStart = jit.getTotalCompilationTime();
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                if (perSecond > 0) {
                    long due = start + (long) (i * 1e9 / perSecond);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                String id = prefix + i;
                ids.add(id);
                sentAt.put(id, System.currentTimeMillis());
                feeder.send(QueryFeeder.query(id, texts.get(i % texts.size()), "bench"));
            }
            feeder.flush();
            Set<String> missing = ledger.awaitAll(ids, timeout, n -> {});
            double jitCores =
                    (jit.getTotalCompilationTime() - jitMillisAtStart)
                            * 1e6
                            / (System.nanoTime() - start);
            ThreadCpu cpuAtEnd = ThreadCpu.now();
            Map<String, Double> coresByGroup =
                    cpuAtEnd.coresSince(cpuAtStart, CPU_GROUPS, this::cpuGroup);
            double machineCores = cpuAtEnd.machineCoresSince(cpuAtStart);
            if (!missing.isEmpty()) {
                throw new IllegalStateException(
                        name
                                + ": "
                                + missing.size()
                                + " queries without an outcome after "
                                + timeout);
            }
            long firstSent = Long.MAX_VALUE;
            long lastReceived = Long.MIN_VALUE;
            long[] latencies = new long[count];
            // Split at the moment the match was made (same clock: the service runs in this process,
            // or on a host whose clock is assumed synchronised).
            LatencyBreakdown stages = new LatencyBreakdown();
            long batchSizes = 0;
            double embedMicrosPerQuery = 0;
            int matched = 0;
            for (int i = 0; i < count; i++) {
                long sent = sentAt.get(ids.get(i));
                Outcome outcome = ledger.get(ids.get(i));
                long received = outcome.receivedAtMillis();
                IntentMatch match = outcome.match();
                if (match != null) {
                    batchSizes += match.getBatchSize();
                    embedMicrosPerQuery += (double) match.getEmbedMicros() / match.getBatchSize();
                    matched++;
                    stages.add(
                            sent,
                            match.getCreatedAt().toEpochMilli(),
                            received,
                            match.getQueuedMicros(),
                            match.getEmbedMicros() + match.getMatchMicros() * match.getBatchSize());
                }
                firstSent = Math.min(firstSent, sent);
                lastReceived = Math.max(lastReceived, received);
                latencies[i] = (received - sent) * 1_000_000L;
            }
            double seconds = Math.max(1, lastReceived - firstSent) / 1000.0;
            return new Phase(
                    name,
                    perSecond,
                    count,
                    seconds,
                    LatencyStats.of(latencies),
                    stages,
                    matched == 0 ? 0 : (double) batchSizes / matched,
                    matched == 0 ? 0 : embedMicrosPerQuery / matched / 1000,
                    jitCores,
                    coresByGroup,
                    machineCores);
        }

        /**
         * Groups threads by their (15-character) Linux name; PyTorch's workers inherit their
         * creator's.
         */
        private String cpuGroup(String threadName) {
            if (threadName.startsWith(
                    applicationId.substring(0, Math.min(15, applicationId.length())))) {
                return CPU_SERVICE;
            }
            if (threadName.startsWith("C1 Compiler") || threadName.startsWith("C2 Compiler")) {
                return "JIT";
            }
            if (threadName.startsWith("GC ")
                    || threadName.startsWith("G1 ")
                    || threadName.startsWith("VM ")) {
                return "GC and VM";
            }
            if (threadName.startsWith("kafka-producer")
                    || threadName.startsWith("kafka-coordinat")
                    || threadName.startsWith("consumer_")) {
                return CPU_CLIENT_IO;
            }
            if (threadName.equals("java") || threadName.startsWith("outcome-tail")) {
                return CPU_DRIVER;
            }
            return "broker and other";
        }
    }

    private static List<String> cycle(List<String> texts, int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(texts.get(i % texts.size()));
        }
        return out;
    }
}
