package io.intentstream.streams.processor;

/**
 * Nanoseconds each stream thread has spent flushing batches, over all of its tasks: a task's
 * processing and punctuations always run on the thread that owns it, so a thread-local sum is that
 * thread's. One instance per topology, shared by its batch processors.
 */
public final class StreamThreadFlushTime {

    private final ThreadLocal<long[]> nanos = ThreadLocal.withInitial(() -> new long[1]);

    long nanos() {
        return nanos.get()[0];
    }

    void add(long spent) {
        nanos.get()[0] += spent;
    }
}
