package io.intentstream.trainer.promote;

import io.intentstream.encoder.SentenceEncoder;
import io.intentstream.matching.MatchRule;
import io.intentstream.trainer.data.LabelledText;
import io.intentstream.trainer.evaluation.ClassificationMetrics;
import io.intentstream.trainer.evaluation.IntentEvaluator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-intent fallback thresholds for a release, fitted on held-out confirmed examples: each query
 * goes to the intent that scores best ({@link IntentEvaluator}), and each intent gets the score
 * threshold that maximises accuracy (out-of-scope counted as a class) over the queries it
 * attracted, searched midway between neighbouring scores. Intents that attracted none get the
 * single threshold fitted over all queries. Without confirmed out-of-scope queries there is nothing
 * to fit against, and no thresholds are shipped (the service keeps its configured ones).
 */
public final class ThresholdFitting {

    private ThresholdFitting() {}

    /** Per-intent thresholds, and the single threshold fitted over all queries. */
    public record Thresholds(Map<String, Double> perIntent, double global) {}

    /**
     * A release's thresholds: empty unless {@code heldOut} has both in-scope and out-of-scope
     * queries.
     */
    public static Map<String, Double> fit(
            List<LabelledText> catalog,
            List<LabelledText> heldOut,
            SentenceEncoder encoder,
            int neighbours) {
        if (heldOut.stream().noneMatch(LabelledText::outOfScope)
                || heldOut.stream().allMatch(LabelledText::outOfScope)) {
            return Map.of();
        }
        return fitAll(catalog, heldOut, encoder, neighbours).perIntent();
    }

    /** Thresholds of every in-scope intent of {@code catalog}, fitted on {@code heldOut}. */
    public static Thresholds fitAll(
            List<LabelledText> catalog,
            List<LabelledText> heldOut,
            SentenceEncoder encoder,
            int neighbours) {
        IntentEvaluator evaluator =
                new IntentEvaluator("thresholds", catalog, heldOut, null, neighbours);
        IntentEvaluator.Predictions p = evaluator.predict(encoder);
        double global = evaluator.fitOutOfScopeThreshold(encoder);
        Map<String, List<Integer>> byIntent = new HashMap<>();
        for (int i = 0; i < heldOut.size(); i++) {
            byIntent.computeIfAbsent(p.nnLabels()[i], k -> new ArrayList<>()).add(i);
        }
        Map<String, Double> out = new HashMap<>();
        for (LabelledText row : catalog) {
            if (!row.outOfScope() && !out.containsKey(row.label())) {
                List<Integer> attracted = byIntent.get(row.label());
                out.put(
                        row.label(),
                        attracted == null
                                ? global
                                : fitOne(row.label(), attracted, heldOut, p.nnScores()));
            }
        }
        return new Thresholds(Map.copyOf(out), global);
    }

    private static double fitOne(
            String intent, List<Integer> rows, List<LabelledText> heldOut, double[] scores) {
        String[] gold = rows.stream().map(i -> heldOut.get(i).label()).toArray(String[]::new);
        double[] s = rows.stream().mapToDouble(i -> scores[i]).toArray();
        double[] candidates = Arrays.stream(s).sorted().distinct().toArray();
        double best = 0;
        double bestAccuracy = ClassificationMetrics.accuracy(gold, predict(intent, s, 0));
        for (int k = 0; k < candidates.length; k++) {
            double t =
                    MatchRule.separating(
                            candidates[k],
                            k + 1 < candidates.length ? candidates[k + 1] : Double.NaN);
            double acc = ClassificationMetrics.accuracy(gold, predict(intent, s, t));
            if (acc > bestAccuracy) {
                bestAccuracy = acc;
                best = t;
            }
        }
        return best;
    }

    private static String[] predict(String intent, double[] scores, double threshold) {
        String[] out = new String[scores.length];
        for (int i = 0; i < scores.length; i++) {
            out[i] = scores[i] < threshold ? LabelledText.OUT_OF_SCOPE : intent;
        }
        return out;
    }
}
