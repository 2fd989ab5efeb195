package io.intentstream.matching;

/**
 * The decision for one query.
 *
 * @param chosen the matched intent, or null on fallback
 * @param fallbackReason why the query falls back ({@link MatchRule#BELOW_THRESHOLD}, ...), or null
 *     when matched
 */
public record Verdict(ScoredIntent chosen, String fallbackReason) {

    public boolean matched() {
        return chosen != null;
    }

    static Verdict match(ScoredIntent chosen) {
        return new Verdict(chosen, null);
    }

    static Verdict fallback(String reason) {
        return new Verdict(null, reason);
    }
}
