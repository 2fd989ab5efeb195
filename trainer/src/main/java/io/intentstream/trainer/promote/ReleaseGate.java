package io.intentstream.trainer.promote;

import io.intentstream.encoder.SentenceEncoder;
import io.intentstream.trainer.data.LabelledText;
import io.intentstream.trainer.evaluation.EmbeddingSimilarityEvaluator;
import io.intentstream.trainer.evaluation.IntentEvaluator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides whether a candidate release replaces the current one. Both are evaluated the same way on
 * the held-out slice of confirmed examples (intent accuracy, scored as services score, against what
 * each matches against: the catalog's utterances and its own exemplars; out-of-scope recall, with a
 * threshold fitted per model, where out-of-scope queries were confirmed) and, when given, on a
 * guard set of sentence pairs (Spearman correlation of cosine, to catch forgetting). The candidate
 * is promoted only if its held-out accuracy beats the current one by more than {@code
 * minImprovement}, and neither its out-of-scope recall nor its guard correlation falls by more than
 * {@code tolerance}.
 */
public final class ReleaseGate {

    public static final String ACCURACY = "heldout.accuracy";
    public static final String OOS_RECALL = "heldout.oos_recall";
    public static final String GUARD = "guard.spearman";
    public static final String HELDOUT_SIZE = "heldout.examples";

    /** The gate's verdict with both sides' metrics. */
    public record Decision(
            boolean promote,
            String reason,
            Map<String, Double> current,
            Map<String, Double> candidate) {}

    private final double minImprovement;
    private final double tolerance;
    private final EmbeddingSimilarityEvaluator guard;

    /**
     * @param guard the guard set's evaluator, or null for none
     */
    public ReleaseGate(
            double minImprovement, double tolerance, EmbeddingSimilarityEvaluator guard) {
        this.minImprovement = minImprovement;
        this.tolerance = tolerance;
        this.guard = guard;
    }

    /**
     * The gate's metrics of one model.
     *
     * @param neighbours how many of an intent's closest texts its score averages under this model
     */
    public Map<String, Double> evaluate(
            SentenceEncoder encoder,
            List<LabelledText> catalog,
            List<LabelledText> heldOut,
            int neighbours) {
        Map<String, Double> m = new LinkedHashMap<>();
        List<LabelledText> inScope = heldOut.stream().filter(t -> !t.outOfScope()).toList();
        m.put(HELDOUT_SIZE, (double) heldOut.size());
        if (!inScope.isEmpty()) {
            m.put(
                    ACCURACY,
                    new IntentEvaluator("heldout", catalog, inScope, null, neighbours)
                            .evaluate(encoder)
                            .get("nn_accuracy"));
        }
        if (inScope.size() < heldOut.size()) {
            IntentEvaluator all =
                    new IntentEvaluator("heldout", catalog, heldOut, null, neighbours);
            double threshold = all.fitOutOfScopeThreshold(encoder);
            m.put(
                    OOS_RECALL,
                    new IntentEvaluator("heldout", catalog, heldOut, threshold, neighbours)
                            .evaluate(encoder)
                            .get("nn_oos_recall"));
        }
        if (guard != null) {
            m.put(GUARD, guard.evaluate(encoder).primary());
        }
        return m;
    }

    public Decision decide(Map<String, Double> current, Map<String, Double> candidate) {
        Double acc = candidate.get(ACCURACY);
        Double accNow = current.get(ACCURACY);
        if (acc == null || accNow == null) {
            return new Decision(
                    false, "no held-out examples to evaluate on yet", current, candidate);
        }
        if (acc <= accNow + minImprovement) {
            return new Decision(
                    false,
                    String.format(
                            Locale.ROOT,
                            "held-out accuracy %.4f does not beat %.4f by more than %.4f",
                            acc,
                            accNow,
                            minImprovement),
                    current,
                    candidate);
        }
        Double oos = candidate.get(OOS_RECALL);
        Double oosNow = current.get(OOS_RECALL);
        if (oos != null && oosNow != null && oos < oosNow - tolerance) {
            return new Decision(
                    false,
                    String.format(
                            Locale.ROOT, "out-of-scope recall fell from %.4f to %.4f", oosNow, oos),
                    current,
                    candidate);
        }
        Double g = candidate.get(GUARD);
        Double gNow = current.get(GUARD);
        if (g != null && gNow != null && g < gNow - tolerance) {
            return new Decision(
                    false,
                    String.format(
                            Locale.ROOT,
                            "guard Spearman fell from %.4f to %.4f (tolerance %.4f)",
                            gNow,
                            g,
                            tolerance),
                    current,
                    candidate);
        }
        return new Decision(
                true,
                String.format(Locale.ROOT, "held-out accuracy %.4f -> %.4f", accNow, acc),
                current,
                candidate);
    }
}
