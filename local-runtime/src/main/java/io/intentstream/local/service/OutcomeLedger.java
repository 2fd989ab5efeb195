package io.intentstream.local.service;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Accounts for every query: the first outcome of each query id, and every further outcome for an id
 * already seen (a duplicate, which exactly-once processing must never produce). Thread-safe; feed
 * it from an {@link OutcomeTail}.
 */
public final class OutcomeLedger implements Consumer<Outcome> {

    private final Map<String, Outcome> first = new ConcurrentHashMap<>();
    private final List<Outcome> duplicates = new CopyOnWriteArrayList<>();
    private final Object changed = new Object();

    @Override
    public void accept(Outcome outcome) {
        if (first.putIfAbsent(outcome.queryId(), outcome) != null) {
            duplicates.add(outcome);
        }
        synchronized (changed) {
            changed.notifyAll();
        }
    }

    /** The first outcome of {@code queryId}, or null. */
    public Outcome get(String queryId) {
        return first.get(queryId);
    }

    /** Every query id with an outcome. */
    public Set<String> ids() {
        return Set.copyOf(first.keySet());
    }

    public int size() {
        return first.size();
    }

    /** Outcomes received for a query id that already had one. */
    public List<Outcome> duplicates() {
        return List.copyOf(duplicates);
    }

    /** The ids of {@code expected} that have no outcome yet. */
    public Set<String> missing(Collection<String> expected) {
        Set<String> out = new HashSet<>(expected);
        out.removeAll(first.keySet());
        return out;
    }

    /**
     * Waits until every id of {@code expected} has an outcome; returns the ids still missing when
     * {@code timeout} ran out (empty on success).
     *
     * @param progress called about every ten seconds with the number of outcomes so far
     */
    public Set<String> awaitAll(
            Collection<String> expected, Duration timeout, Consumer<Integer> progress)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextReport = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            Set<String> missing = missing(expected);
            long now = System.nanoTime();
            if (missing.isEmpty() || now >= deadline) {
                return missing;
            }
            if (now >= nextReport) {
                progress.accept(first.size());
                nextReport = now + Duration.ofSeconds(10).toNanos();
            }
            synchronized (changed) {
                changed.wait(200);
            }
        }
    }
}
