package io.intentstream.local.service;

import io.intentstream.avro.IntentMatch;

/**
 * What became of one support query: matched, left for triage (fallback) or rejected (dead letter).
 *
 * @param match the match record; null for a dead letter
 * @param deadLetterReason the dead letter's reason header; null otherwise
 * @param receivedAtMillis wall-clock time at which this process read the outcome
 */
public record Outcome(
        String queryId,
        Kind kind,
        IntentMatch match,
        String deadLetterReason,
        long receivedAtMillis) {

    /** The three ways a query leaves the service. */
    public enum Kind {
        MATCHED,
        FALLBACK,
        DEAD_LETTER
    }

    /** The chosen intent, or null when nothing was chosen. */
    public String intentId() {
        return match == null || match.getChosenIntentId() == null
                ? null
                : match.getChosenIntentId().toString();
    }
}
