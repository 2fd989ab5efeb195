package io.intentstream.bench;

import java.util.Arrays;

/** Percentiles of a set of durations in nanoseconds, by the nearest-rank method. */
public record LatencyStats(long[] sortedNanos) {

    public static LatencyStats of(long[] nanos) {
        long[] copy = nanos.clone();
        Arrays.sort(copy);
        return new LatencyStats(copy);
    }

    public double percentileMillis(double p) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sortedNanos.length);
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1e6;
    }
}
