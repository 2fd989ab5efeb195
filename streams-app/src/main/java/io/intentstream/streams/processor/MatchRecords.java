package io.intentstream.streams.processor;

import io.intentstream.avro.BufferedQuery;
import io.intentstream.avro.IntentCandidate;
import io.intentstream.avro.IntentMatch;
import io.intentstream.avro.MatchDecision;
import io.intentstream.avro.SupportQuery;
import io.intentstream.matching.BatchMatcher;
import io.intentstream.matching.ScoredIntent;
import io.intentstream.matching.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Time;

/**
 * Builds the {@link IntentMatch} record of one matched query, with its timings, on an injected
 * clock.
 */
final class MatchRecords {

    /**
     * How long one query took.
     *
     * @param queuedMicros from its arrival to the start of its batch's embedding
     * @param embedNanos embedding its whole batch
     * @param matchNanos matching it, its share of the batch's search
     * @param batchSize queries in its batch
     */
    record Timing(long queuedMicros, long embedNanos, long matchNanos, int batchSize) {}

    private final Time time;
    // Wall-clock micros at construction and the monotonic nanos then: micro-resolution wall time,
    // which Time's milliseconds() lacks.
    private final long anchorMicros;
    private final long anchorNanos;

    MatchRecords(Time time) {
        this.time = time;
        this.anchorMicros = time.milliseconds() * 1000L;
        this.anchorNanos = time.nanoseconds();
    }

    /** Microseconds since the epoch. */
    long epochMicros() {
        return anchorMicros + (time.nanoseconds() - anchorNanos) / 1000L;
    }

    /**
     * How long {@code entry} waited before embedding began at {@code embedStartMicros}; 0 when
     * unknown.
     */
    static long queuedMicros(BufferedQuery entry, long embedStartMicros) {
        long receivedAt = entry.getReceivedAtMicros();
        return receivedAt <= 0 ? 0 : Math.max(0, embedStartMicros - receivedAt);
    }

    IntentMatch of(
            SupportQuery query, BatchMatcher.Match outcome, String modelVersion, Timing timing) {
        Verdict verdict = outcome.verdict();
        List<IntentCandidate> candidates = new ArrayList<>(outcome.candidates().size());
        for (ScoredIntent s : outcome.candidates()) {
            candidates.add(new IntentCandidate(s.intentId(), s.score(), s.route()));
        }
        return IntentMatch.newBuilder()
                .setQueryId(query.getQueryId())
                .setCandidates(candidates)
                .setDecision(verdict.matched() ? MatchDecision.MATCHED : MatchDecision.FALLBACK)
                .setChosenIntentId(verdict.matched() ? verdict.chosen().intentId() : null)
                .setRoute(verdict.matched() ? verdict.chosen().route() : null)
                .setFallbackReason(verdict.fallbackReason())
                .setModelVersion(modelVersion)
                .setQueryText(query.getText())
                .setQueuedMicros(timing.queuedMicros())
                .setEmbedMicros(timing.embedNanos() / 1000)
                .setMatchMicros(timing.matchNanos() / 1000)
                .setBatchSize(timing.batchSize())
                .setMetadata(query.getMetadata())
                .setCreatedAt(Instant.ofEpochMilli(time.milliseconds()))
                .build();
    }
}
