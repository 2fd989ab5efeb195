package io.intentstream.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Where each query's produce-to-read latency went, stage by stage, and which stages the slowest
 * queries lost their time in: a p99 is set by a few stalls, and their stage says where to look.
 */
public final class LatencyBreakdown {

    /** The stages of one query, in microseconds; they add up to its whole latency. */
    public record Stages(
            long toServiceMicros, long queuedMicros, long embedMicros, long madeToReadMicros) {
        long totalMicros() {
            return toServiceMicros + queuedMicros + embedMicros + madeToReadMicros;
        }
    }

    private static final List<String> NAMES =
            List.of(
                    "produced to taken by the service",
                    "buffered",
                    "embedding and matching",
                    "match made to read");

    private final List<Stages> queries = new ArrayList<>();

    /**
     * Adds one query from the bench's and the service's timestamps (same clock).
     *
     * @param sentMillis just before the bench's {@code send}
     * @param madeMillis when the service made the match
     * @param readMillis when the bench read the outcome
     * @param queuedMicros from the service taking the query to its batch's embedding starting
     * @param embedMicros the batch's embedding and matching
     */
    public void add(
            long sentMillis,
            long madeMillis,
            long readMillis,
            long queuedMicros,
            long embedMicros) {
        long toMadeMicros = (madeMillis - sentMillis) * 1000;
        long inService =
                Math.min(toMadeMicros, Math.max(0, queuedMicros) + Math.max(0, embedMicros));
        long embed = Math.min(inService, Math.max(0, embedMicros));
        queries.add(
                new Stages(
                        toMadeMicros - inService,
                        inService - embed,
                        embed,
                        (readMillis - madeMillis) * 1000));
    }

    public int size() {
        return queries.size();
    }

    /** The p-th percentile of each stage on its own, in milliseconds. */
    public double[] percentileMillis(double p) {
        double[] out = new double[NAMES.size()];
        for (int s = 0; s < out.length; s++) {
            int stage = s;
            long[] nanos = queries.stream().mapToLong(q -> stage(q, stage) * 1000).toArray();
            out[s] = LatencyStats.of(nanos).percentileMillis(p);
        }
        return out;
    }

    /**
     * The p-th percentile of the time from the bench's send to the match being made, in
     * milliseconds.
     */
    public double toMatchMadeMillis(double p) {
        return LatencyStats.of(
                        queries.stream()
                                .mapToLong(q -> (q.totalMicros() - q.madeToReadMicros()) * 1000)
                                .toArray())
                .percentileMillis(p);
    }

    /**
     * The p-th percentile of the time from the match being made to the bench reading it, in
     * milliseconds.
     */
    public double madeToReadMillis(double p) {
        return percentileMillis(p)[NAMES.size() - 1];
    }

    /**
     * The mean of each stage over the slowest {@code share} of the queries (by whole latency), in
     * milliseconds.
     */
    public double[] slowestMeanMillis(double share) {
        int n = Math.max(1, (int) Math.ceil(queries.size() * share));
        List<Stages> slowest =
                queries.stream()
                        .sorted(Comparator.comparingLong(Stages::totalMicros).reversed())
                        .limit(n)
                        .toList();
        double[] out = new double[NAMES.size()];
        for (Stages q : slowest) {
            for (int s = 0; s < out.length; s++) {
                out[s] += stage(q, s) / 1000.0 / slowest.size();
            }
        }
        return out;
    }

    /** One line per view: p50 and p99 of each stage, and the stages of the slowest 1 %. */
    public List<String> describe() {
        if (queries.isEmpty()) {
            return List.of();
        }
        double[] p50 = percentileMillis(50);
        double[] p99 = percentileMillis(99);
        double[] slow = slowestMeanMillis(0.01);
        StringBuilder stages = new StringBuilder("stages p50 / p99:");
        StringBuilder slowest =
                new StringBuilder(
                        String.format(
                                Locale.ROOT,
                                "slowest 1 %% (%d queries), mean:",
                                (int) Math.ceil(queries.size() * 0.01)));
        for (int s = 0; s < NAMES.size(); s++) {
            stages.append(
                    String.format(
                            Locale.ROOT,
                            "%s %s %.1f / %.1f ms",
                            s == 0 ? "" : ";",
                            NAMES.get(s),
                            p50[s],
                            p99[s]));
            slowest.append(
                    String.format(
                            Locale.ROOT,
                            "%s %s %.1f ms",
                            s == 0 ? "" : ";",
                            NAMES.get(s),
                            slow[s]));
        }
        return List.of(stages.toString(), slowest.toString());
    }

    private static long stage(Stages q, int stage) {
        return switch (stage) {
            case 0 -> q.toServiceMicros();
            case 1 -> q.queuedMicros();
            case 2 -> q.embedMicros();
            default -> q.madeToReadMicros();
        };
    }
}
