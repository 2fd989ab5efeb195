package io.intentstream.cli.service;

import io.intentstream.encoder.SentenceEncoder;
import io.intentstream.trainer.data.LabelledText;
import io.intentstream.trainer.evaluation.ClassificationMetrics;
import io.intentstream.trainer.evaluation.IntentEvaluator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fits a fallback threshold per intent on labelled validation queries (with {@code oos} rows):
 * each query goes to its nearest catalog utterance's intent, and for each intent the threshold on
 * that cosine that maximises accuracy over the queries it attracted is chosen, searched midway
 * between neighbouring scores as the trainer's {@link IntentEvaluator#fitOutOfScopeThreshold}
 * does for its single threshold. Intents that attracted no validation query get that single
 * threshold.
 */
public final class ThresholdFitter {

    private ThresholdFitter() {}

    /** Per-intent thresholds, and the single threshold fitted over all queries. */
    public record Thresholds(Map<String, Double> perIntent, double global) {}

    /** Fits the thresholds of every intent of {@code catalog} on {@code validation}. */
    public static Thresholds fit(List<LabelledText> catalog, List<LabelledText> validation, SentenceEncoder encoder) {
        IntentEvaluator evaluator = new IntentEvaluator("validation", catalog, validation, null);
        IntentEvaluator.Predictions p = evaluator.predict(encoder);
        double global = evaluator.fitOutOfScopeThreshold(encoder);
        Map<String, List<Integer>> byIntent = new HashMap<>();
        for (int i = 0; i < validation.size(); i++) {
            byIntent.computeIfAbsent(p.nnLabels()[i], k -> new ArrayList<>()).add(i);
        }
        Map<String, Double> thresholds = new HashMap<>();
        for (LabelledText row : catalog) {
            if (row.outOfScope() || thresholds.containsKey(row.label())) {
                continue;
            }
            List<Integer> attracted = byIntent.get(row.label());
            thresholds.put(row.label(), attracted == null ? global : fitOne(row.label(), attracted, validation, p.nnScores()));
        }
        return new Thresholds(Map.copyOf(thresholds), global);
    }

    private static double fitOne(String intent, List<Integer> rows, List<LabelledText> validation, double[] scores) {
        String[] gold = rows.stream().map(i -> validation.get(i).label()).toArray(String[]::new);
        double[] s = rows.stream().mapToDouble(i -> scores[i]).toArray();
        double[] candidates = java.util.Arrays.stream(s).sorted().distinct().toArray();
        double best = 0;
        double bestAccuracy = ClassificationMetrics.accuracy(gold, predict(intent, s, 0));
        for (int k = 0; k < candidates.length; k++) {
            double t = k + 1 < candidates.length ? (candidates[k] + candidates[k + 1]) / 2 : Math.nextUp(candidates[k]);
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
