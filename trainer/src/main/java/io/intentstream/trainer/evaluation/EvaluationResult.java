package io.intentstream.trainer.evaluation;

import java.util.Map;
import java.util.TreeMap;

/**
 * What an evaluator measured: every metric by name, and which one decides model selection.
 * Correlations and accuracies are raw fractions (0.82, not 82), as in sentence-transformers.
 */
public record EvaluationResult(String primaryMetric, Map<String, Double> metrics) {

    public EvaluationResult {
        metrics = Map.copyOf(new TreeMap<>(metrics));
        if (!metrics.containsKey(primaryMetric)) {
            throw new IllegalArgumentException(
                    "primary metric " + primaryMetric + " not among " + metrics.keySet());
        }
    }

    public double primary() {
        return metrics.get(primaryMetric);
    }

    public double get(String metric) {
        Double v = metrics.get(metric);
        if (v == null) {
            throw new IllegalArgumentException("no metric " + metric + " in " + metrics.keySet());
        }
        return v;
    }
}
