package io.intentstream.trainer.evaluation;

import io.intentstream.trainer.data.LabelledText;
import java.util.Set;
import java.util.TreeSet;

/** Accuracy and macro-F1 of predicted labels, as scikit-learn computes them. */
public final class ClassificationMetrics {

    private ClassificationMetrics() {}

    public static double accuracy(String[] gold, String[] predicted) {
        int right = 0;
        for (int i = 0; i < gold.length; i++) {
            if (gold[i].equals(predicted[i])) {
                right++;
            }
        }
        return (double) right / gold.length;
    }

    /**
     * Unweighted mean of per-label F1 over the union of gold and predicted labels ({@code
     * f1_score(average='macro')}); a label with no true positives scores 0.
     */
    public static double macroF1(String[] gold, String[] predicted) {
        Set<String> labels = new TreeSet<>(java.util.Arrays.asList(gold));
        labels.addAll(java.util.Arrays.asList(predicted));
        double sum = 0;
        for (String label : labels) {
            int tp = 0;
            int fp = 0;
            int fn = 0;
            for (int i = 0; i < gold.length; i++) {
                boolean g = gold[i].equals(label);
                boolean p = predicted[i].equals(label);
                if (g && p) {
                    tp++;
                } else if (p) {
                    fp++;
                } else if (g) {
                    fn++;
                }
            }
            sum += tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
        }
        return sum / labels.size();
    }

    /** Accuracy over the queries whose gold label is an intent. */
    public static double inScopeAccuracy(String[] gold, String[] predicted) {
        int n = 0;
        int right = 0;
        for (int i = 0; i < gold.length; i++) {
            if (!LabelledText.OUT_OF_SCOPE.equals(gold[i])) {
                n++;
                right += gold[i].equals(predicted[i]) ? 1 : 0;
            }
        }
        return n == 0 ? Double.NaN : (double) right / n;
    }

    /** Fraction of out-of-scope queries predicted out of scope. */
    public static double outOfScopeRecall(String[] gold, String[] predicted) {
        int n = 0;
        int right = 0;
        for (int i = 0; i < gold.length; i++) {
            if (LabelledText.OUT_OF_SCOPE.equals(gold[i])) {
                n++;
                right += LabelledText.OUT_OF_SCOPE.equals(predicted[i]) ? 1 : 0;
            }
        }
        return n == 0 ? Double.NaN : (double) right / n;
    }
}
