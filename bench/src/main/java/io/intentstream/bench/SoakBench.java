package io.intentstream.bench;

import io.intentstream.avro.IntentDefinition;
import io.intentstream.encoder.SentenceModel;
import io.intentstream.local.service.DemoCatalog;
import io.intentstream.local.service.LocalService;
import io.intentstream.local.service.Outcome;
import io.intentstream.local.service.OutcomeLedger;
import io.intentstream.local.service.OutcomeTail;
import io.intentstream.local.service.QueryFeeder;
import io.intentstream.schemas.Topics;
import io.intentstream.streams.config.IntentStreamConfig;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * A long run at a fixed, moderate load through the broker, reporting per minute the process's
 * resident set size, the heap in use and the produce-to-outcome latency, so that leaks (RSS or heap
 * creeping up) and slow degradation (p99 creeping up) show as a trend.
 */
public final class SoakBench {

    /**
     * What to run.
     *
     * @param config the service's configuration, with its own application id and topics
     * @param launch how the broker and topics are set up around it
     * @param runId prefix of the query ids
     * @param texts query texts, cycled
     * @param minutes how long to run
     * @param rate queries per second offered
     * @param timeout longest wait for the last queries' outcomes at the end
     */
    public record Settings(
            IntentStreamConfig config,
            LocalService.Options launch,
            String runId,
            List<String> texts,
            int minutes,
            double rate,
            Duration timeout) {
        public Settings {
            texts = List.copyOf(texts);
            if (minutes < 1 || rate <= 0) {
                throw new IllegalArgumentException(
                        "--minutes must be at least 1 and --rate positive");
            }
        }
    }

    private final Settings settings;

    public SoakBench(Settings settings) {
        this.settings = settings;
    }

    /** One minute's figures. */
    record Minute(
            int index,
            int sent,
            int answered,
            double rssMiB,
            double heapMiB,
            double p50Millis,
            double p99Millis) {}

    /**
     * Runs the load on {@code model}, prints a line per minute to {@code out} and records the
     * minutes in {@code report}. The caller keeps and closes {@code model}.
     *
     * @return whether every query got exactly one outcome
     */
    public boolean run(SentenceModel model, PrintWriter out, BenchReport report) throws Exception {
        List<String> texts = settings.texts();
        String runId = settings.runId();
        int minutes = settings.minutes();
        double rate = settings.rate();
        Duration timeout = settings.timeout();
        report.setting("rate", rate)
                .setting("minutes", minutes)
                .setting("texts", texts.size())
                .setting("partitions", settings.launch().partitions());
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        List<Minute> rows = new ArrayList<>();
        OutcomeLedger ledger = new OutcomeLedger();
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<String> allIds = new ArrayList<>();
        try (LocalService service =
                LocalService.start(settings.config(), settings.launch(), model)) {
            List<IntentDefinition> intents = DemoCatalog.intents();
            service.loadCatalog(intents);
            service.awaitCatalog(
                    intents.stream()
                            .map(i -> i.getIntentId().toString())
                            .collect(Collectors.toSet()),
                    true,
                    timeout);
            out.printf(
                    "soak: %.1f queries/s for %d min on %s (exactly-once, %d partitions), %d"
                            + " distinct texts, %d cores%n",
                    rate,
                    minutes,
                    service.config().bootstrapServers(),
                    settings.launch().partitions(),
                    texts.size(),
                    Runtime.getRuntime().availableProcessors());
            out.printf(
                    "%6s %7s %8s %9s %9s %9s %9s%n",
                    "minute", "sent", "answered", "rss MiB", "heap MiB", "p50 ms", "p99 ms");
            out.flush();
            try (OutcomeTail tail = service.followOutcomes(false, ledger);
                    QueryFeeder feeder =
                            new QueryFeeder(
                                    service.clientConfig(),
                                    service.topic(Topics.QUERIES),
                                    Map.of("linger.ms", 1))) {
                long start = System.nanoTime();
                long sent = 0;
                List<String> previousMinute = List.of();
                for (int m = 1; m <= minutes; m++) {
                    long minuteEnd = start + Duration.ofMinutes(m).toNanos();
                    List<String> ids = new ArrayList<>();
                    while (true) {
                        long due = start + (long) (sent * 1e9 / rate);
                        if (due >= minuteEnd) {
                            break;
                        }
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        String id = runId + "-" + sent;
                        sentAt.put(id, System.currentTimeMillis());
                        feeder.send(
                                QueryFeeder.query(
                                        id, texts.get((int) (sent % texts.size())), "soak"));
                        ids.add(id);
                        sent++;
                    }
                    feeder.flush();
                    long wait = minuteEnd - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    allIds.addAll(ids);
                    // Latency of the previous minute's queries: by now they had a full minute to be
                    // answered.
                    if (m > 1) {
                        rows.add(report(out, m - 1, previousMinute, ledger, sentAt, memory));
                    }
                    previousMinute = ids;
                    if (tail.failure() != null) {
                        throw new IllegalStateException(
                                "the outcome reader failed", tail.failure());
                    }
                }
                Set<String> missing = ledger.awaitAll(allIds, timeout, n -> {});
                rows.add(report(out, minutes, previousMinute, ledger, sentAt, memory));
                summarize(out, rows, allIds.size(), missing.size(), ledger.duplicates().size());
                for (Minute row : rows) {
                    report.row(row(row));
                }
                report.summary("sent", allIds.size())
                        .summary("withoutOutcome", missing.size())
                        .summary("duplicatedOutcomes", ledger.duplicates().size());
                return missing.isEmpty() && ledger.duplicates().isEmpty();
            }
        } finally {
            out.flush();
        }
    }

    private static Minute report(
            PrintWriter out,
            int index,
            List<String> ids,
            OutcomeLedger ledger,
            Map<String, Long> sentAt,
            MemoryMXBean memory) {
        List<Long> latencies = new ArrayList<>();
        for (String id : ids) {
            Outcome o = ledger.get(id);
            if (o != null) {
                latencies.add((o.receivedAtMillis() - sentAt.get(id)) * 1_000_000L);
            }
        }
        LatencyStats stats =
                LatencyStats.of(latencies.stream().mapToLong(Long::longValue).toArray());
        double p50 = latencies.isEmpty() ? Double.NaN : stats.percentileMillis(50);
        double p99 = latencies.isEmpty() ? Double.NaN : stats.percentileMillis(99);
        Minute row =
                new Minute(
                        index,
                        ids.size(),
                        latencies.size(),
                        ProcessMemory.rssMiB(),
                        memory.getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0),
                        p50,
                        p99);
        out.printf(
                "%6d %7d %8d %9.0f %9.0f %9.1f %9.1f%n",
                row.index(),
                row.sent(),
                row.answered(),
                row.rssMiB(),
                row.heapMiB(),
                row.p50Millis(),
                row.p99Millis());
        out.flush();
        return row;
    }

    private static Map<String, Object> row(Minute m) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("minute", m.index());
        row.put("sent", m.sent());
        row.put("answered", m.answered());
        row.put("rssMiB", m.rssMiB());
        row.put("heapMiB", m.heapMiB());
        row.put("p50Millis", m.p50Millis());
        row.put("p99Millis", m.p99Millis());
        return row;
    }

    private static void summarize(
            PrintWriter out, List<Minute> rows, int sent, int missing, int duplicates) {
        // The first minutes include warm-up (JIT, first batches, a backlog on a busy machine):
        // compare
        // the minute a quarter into the run with the last one.
        Minute first = rows.get(Math.max(rows.size() > 2 ? 1 : 0, rows.size() / 4));
        Minute last = rows.get(rows.size() - 1);
        out.printf(
                "%nminute %d vs last (%d): RSS %.0f -> %.0f MiB (%+.1f%%), p99 %.1f -> %.1f ms"
                        + " (ratio %.2f)%n",
                first.index(),
                last.index(),
                first.rssMiB(),
                last.rssMiB(),
                100 * (last.rssMiB() - first.rssMiB()) / first.rssMiB(),
                first.p99Millis(),
                last.p99Millis(),
                last.p99Millis() / first.p99Millis());
        out.printf(
                "from minute %d on: RSS max %.0f MiB, p99 max %.1f ms%n",
                first.index(),
                rows.stream()
                        .filter(r -> r.index() >= first.index())
                        .mapToDouble(Minute::rssMiB)
                        .max()
                        .orElse(Double.NaN),
                rows.stream()
                        .filter(r -> r.index() >= first.index())
                        .mapToDouble(Minute::p99Millis)
                        .max()
                        .orElse(Double.NaN));
        out.printf(
                "queries sent %d, without an outcome %d, duplicated outcomes %d%n",
                sent, missing, duplicates);
    }
}
