package io.intentstream.trainer.evaluation;

import io.intentstream.encoder.SentenceEncoder;
import io.intentstream.trainer.data.InputExample;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * How well the cosine similarity of a pair separates similar pairs (label 1) from dissimilar ones
 * (label 0), as sentence-transformers' {@code BinaryClassificationEvaluator} computes it with
 * cosine similarity: accuracy and F1 at their best thresholds (each midway between two neighbouring
 * scores), the precision and recall at the F1 threshold, average precision (as scikit-learn's
 * {@code average_precision_score}) and the Matthews correlation at the F1 threshold.
 *
 * <p>Metrics: {@code cosine_accuracy}, {@code cosine_accuracy_threshold}, {@code cosine_f1}, {@code
 * cosine_f1_threshold}, {@code cosine_precision}, {@code cosine_recall}, {@code cosine_ap}, {@code
 * cosine_mcc}. Primary metric, as in sentence-transformers: {@code cosine_ap}.
 */
public final class BinaryClassificationEvaluator implements SentenceEvaluator {

    private final String name;
    private final List<String> sentences1;
    private final List<String> sentences2;
    private final int[] labels;

    public BinaryClassificationEvaluator(
            String name, List<String> sentences1, List<String> sentences2, int[] labels) {
        if (sentences1.size() != sentences2.size() || sentences1.size() != labels.length) {
            throw new IllegalArgumentException(
                    "sentences1, sentences2 and labels must have equal lengths");
        }
        for (int label : labels) {
            if (label != 0 && label != 1) {
                throw new IllegalArgumentException("labels must be 0 or 1, found " + label);
            }
        }
        this.name = name;
        this.sentences1 = List.copyOf(sentences1);
        this.sentences2 = List.copyOf(sentences2);
        this.labels = labels.clone();
    }

    /** From pairs labelled 0 or 1. */
    public static BinaryClassificationEvaluator fromExamples(
            String name, List<InputExample> examples) {
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        int[] labels = new int[examples.size()];
        for (int i = 0; i < labels.length; i++) {
            InputExample e = examples.get(i);
            a.add(e.text(0));
            b.add(e.text(1));
            if (e.label() == null || (e.label() != 0f && e.label() != 1f)) {
                throw new IllegalArgumentException(
                        "example " + i + " is not labelled 0 or 1: " + e);
            }
            labels[i] = e.label().intValue();
        }
        return new BinaryClassificationEvaluator(name, a, b, labels);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public EvaluationResult evaluate(SentenceEncoder encoder) {
        Map<String, float[]> v = DistinctTexts.embed(encoder, sentences1, sentences2);
        double[] cos =
                IntStream.range(0, labels.length)
                        .mapToDouble(
                                i ->
                                        Vectors.dot(
                                                v.get(sentences1.get(i)), v.get(sentences2.get(i))))
                        .toArray();
        return new EvaluationResult("cosine_ap", metrics("cosine_", cos, labels));
    }

    /** The metrics of scores where higher means more similar, each name prefixed. */
    public static Map<String, Double> metrics(String prefix, double[] scores, int[] labels) {
        // Stable sort, highest first, as Python's sorted(reverse=True): ties keep input order.
        Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(
                order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        Map<String, Double> m = new LinkedHashMap<>();
        bestAccuracy(prefix, scores, labels, order, m);
        double f1Threshold = bestF1(prefix, scores, labels, order, m);
        m.put(prefix + "ap", averagePrecision(scores, labels, order));
        m.put(prefix + "mcc", matthews(scores, labels, f1Threshold));
        return m;
    }

    private static void bestAccuracy(
            String prefix, double[] s, int[] labels, Integer[] order, Map<String, Double> m) {
        double maxAccuracy = 0;
        double threshold = -1;
        int positivesSoFar = 0;
        int remainingNegatives = (int) IntStream.of(labels).filter(l -> l == 0).count();
        for (int k = 0; k < order.length - 1; k++) {
            if (labels[order[k]] == 1) {
                positivesSoFar++;
            } else {
                remainingNegatives--;
            }
            double accuracy = (double) (positivesSoFar + remainingNegatives) / labels.length;
            if (accuracy > maxAccuracy) {
                maxAccuracy = accuracy;
                threshold = (s[order[k]] + s[order[k + 1]]) / 2;
            }
        }
        m.put(prefix + "accuracy", maxAccuracy);
        m.put(prefix + "accuracy_threshold", threshold);
    }

    private static double bestF1(
            String prefix, double[] s, int[] labels, Integer[] order, Map<String, Double> m) {
        double bestF1 = 0;
        double bestPrecision = 0;
        double bestRecall = 0;
        double threshold = 0;
        int extracted = 0;
        int correct = 0;
        int positives = IntStream.of(labels).sum();
        for (int k = 0; k < order.length - 1; k++) {
            extracted++;
            correct += labels[order[k]];
            if (correct > 0) {
                double precision = (double) correct / extracted;
                double recall = (double) correct / positives;
                double f1 = 2 * precision * recall / (precision + recall);
                if (f1 > bestF1) {
                    bestF1 = f1;
                    bestPrecision = precision;
                    bestRecall = recall;
                    threshold = (s[order[k]] + s[order[k + 1]]) / 2;
                }
            }
        }
        m.put(prefix + "f1", bestF1);
        m.put(prefix + "f1_threshold", threshold);
        m.put(prefix + "precision", bestPrecision);
        m.put(prefix + "recall", bestRecall);
        return threshold;
    }

    /**
     * Σ (R_n − R_{n−1}) P_n over the distinct scores, highest first (tied scores form one step), as
     * scikit-learn's {@code average_precision_score}; NaN without positives.
     */
    static double averagePrecision(double[] s, int[] labels, Integer[] order) {
        int positives = IntStream.of(labels).sum();
        if (positives == 0) {
            return Double.NaN;
        }
        double ap = 0;
        double previousRecall = 0;
        int tp = 0;
        int seen = 0;
        for (int k = 0; k < order.length; k++) {
            tp += labels[order[k]];
            seen++;
            boolean lastOfTie = k + 1 == order.length || s[order[k + 1]] != s[order[k]];
            if (lastOfTie) {
                double recall = (double) tp / positives;
                ap += (recall - previousRecall) * tp / seen;
                previousRecall = recall;
            }
        }
        return ap;
    }

    /**
     * Matthews correlation of predicting 1 where score ≥ threshold; 0 when undefined, as
     * scikit-learn.
     */
    static double matthews(double[] s, int[] labels, double threshold) {
        long tp = 0;
        long tn = 0;
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < s.length; i++) {
            boolean predicted = s[i] >= threshold;
            if (predicted && labels[i] == 1) {
                tp++;
            } else if (predicted) {
                fp++;
            } else if (labels[i] == 1) {
                fn++;
            } else {
                tn++;
            }
        }
        double denominator = Math.sqrt((double) (tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
        return denominator == 0 ? 0 : (tp * tn - fp * fn) / denominator;
    }
}
