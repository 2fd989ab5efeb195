package io.intentstream.streams.processor;

import java.time.Duration;
import org.apache.kafka.common.utils.Time;

/**
 * When a task's partial batch is flushed: once its oldest query has waited {@code maxWait}. The
 * wait leaves out the time the stream thread spent flushing other tasks' batches, since no query
 * could be read meanwhile; counting it would flush a half-filled batch right after every full one
 * whenever a thread serves two or more partitions. A batch restored after a restart goes at once.
 * Arrivals and checks are on Kafka Streams' wall clock (the one punctuations run on); flushing time
 * is measured on {@code time}.
 */
final class FlushPolicy {

    private static final long EMPTY = -1;
    private static final long RESTORED = Long.MIN_VALUE;

    private final Duration maxWait;
    private final Time time;
    private final StreamThreadFlushTime flushTime;
    // Wall-clock millis the oldest waiting query arrived; EMPTY or RESTORED.
    private long oldestArrivedAt = EMPTY;
    // The thread's flushing time when the oldest waiting query arrived.
    private long flushNanosAtOldest;

    FlushPolicy(Duration maxWait, Time time, StreamThreadFlushTime flushTime) {
        this.maxWait = maxWait;
        this.time = time;
        this.flushTime = flushTime;
    }

    /** How often to check: short, so the check runs soon after the oldest query's wait is up. */
    Duration checkInterval() {
        return Duration.ofMillis(Math.max(1, maxWait.toMillis() / 4));
    }

    /** The buffer holds {@code waiting} queries restored from its changelog. */
    void restored(int waiting) {
        oldestArrivedAt = waiting > 0 ? RESTORED : EMPTY;
    }

    /**
     * A query arrived at {@code nowMs} (on the clock punctuations run on) and {@code waiting} now
     * wait, itself included.
     */
    void arrived(int waiting, long nowMs) {
        if (waiting == 1) {
            oldestArrivedAt = nowMs;
            flushNanosAtOldest = flushTime.nanos();
        }
    }

    /** Whether the partial batch should go at {@code nowMs}. */
    boolean due(long nowMs, int waiting) {
        if (waiting == 0) {
            return false;
        }
        if (oldestArrivedAt == RESTORED) {
            return true;
        }
        long busyMillis = (flushTime.nanos() - flushNanosAtOldest) / 1_000_000L;
        return nowMs - oldestArrivedAt - busyMillis >= maxWait.toMillis();
    }

    /**
     * Runs {@code flush}, counting its time as this thread's flushing time; {@code waiting} remain
     * after it.
     */
    void flush(Runnable flush, java.util.function.IntSupplier waiting) {
        long start = time.nanoseconds();
        try {
            flush.run();
        } finally {
            flushTime.add(time.nanoseconds() - start);
        }
        // What is left could not be matched in this flush: try it again at the next check.
        oldestArrivedAt = waiting.getAsInt() > 0 ? RESTORED : EMPTY;
    }
}
