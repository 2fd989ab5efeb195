package io.intentstream.matching;

import java.util.List;

/**
 * Decides between matching the best intent and falling back to human triage: the best intent must
 * reach its own threshold (or {@code defaultThreshold}), and beat the second-best by at least
 * {@code margin}. With {@code fallbackEnabled} false the best intent always wins.
 *
 * @param defaultThreshold minimum cosine for intents without a threshold of their own
 * @param margin minimum top-1 minus top-2 score; 0 disables the check
 * @param fallbackEnabled whether thresholds and margin apply at all
 */
public record MatchRule(float defaultThreshold, float margin, boolean fallbackEnabled) {

    public static final String EMPTY_CATALOG = "empty-catalog";
    public static final String BELOW_THRESHOLD = "below-threshold";
    public static final String LOW_MARGIN = "low-margin";

    /** The best intent always wins: nearest-intent classification. */
    public static final MatchRule NEVER_FALLBACK = new MatchRule(0f, 0f, false);

    /**
     * Falls back below {@code threshold} for every intent, with no margin: one out-of-scope
     * threshold.
     */
    public static MatchRule threshold(double threshold) {
        return new MatchRule((float) threshold, 0f, true);
    }

    /**
     * A threshold between two scores as the rule compares them (in float): midway, so that {@code
     * below} falls under it and {@code above} reaches it with the widest margin, as
     * sentence-transformers' threshold search picks; just above {@code below} when {@code above} is
     * NaN (none).
     */
    public static double separating(double below, double above) {
        float low = (float) below;
        float t = Double.isNaN(above) ? Math.nextUp(low) : (float) ((below + above) / 2);
        return t > low ? t : Math.nextUp(low);
    }

    /**
     * @param candidates best first, as from {@link IntentIndex#topK}
     */
    public Verdict decide(List<ScoredIntent> candidates) {
        if (candidates.isEmpty()) {
            return Verdict.fallback(EMPTY_CATALOG);
        }
        ScoredIntent best = candidates.get(0);
        if (!fallbackEnabled) {
            return Verdict.match(best);
        }
        float threshold = best.threshold() != null ? best.threshold() : defaultThreshold;
        if (best.score() < threshold) {
            return Verdict.fallback(BELOW_THRESHOLD);
        }
        if (margin > 0
                && candidates.size() > 1
                && best.score() - candidates.get(1).score() < margin) {
            return Verdict.fallback(LOW_MARGIN);
        }
        return Verdict.match(best);
    }
}
