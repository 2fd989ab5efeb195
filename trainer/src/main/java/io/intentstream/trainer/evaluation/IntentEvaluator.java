package io.intentstream.trainer.evaluation;

import io.intentstream.encoder.SentenceEncoder;
import io.intentstream.schemas.IntentScore;
import io.intentstream.trainer.data.LabelledText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Intent classification by embedding similarity: each query takes the label whose catalog
 * utterances score best against it (nearest neighbour: the mean of the label's {@code neighbours}
 * most similar utterances, as services score, see {@link IntentScore}) or of the most similar
 * label centroid (nearest centroid). Reports accuracy and macro-F1 of both; primary metric {@code
 * nn_accuracy}.
 *
 * <p>With an out-of-scope threshold, a query whose best score is below it is predicted {@value
 * LabelledText#OUT_OF_SCOPE}; where queries carry that label, in-scope accuracy and out-of-scope
 * recall are reported too. Catalog rows labelled out-of-scope are not used as neighbours.
 */
public final class IntentEvaluator implements SentenceEvaluator {

    private final String name;
    private final List<LabelledText> catalog;
    private final List<LabelledText> queries;
    private final Double outOfScopeThreshold;
    private final int neighbours;

    /** Plain nearest-neighbour matching: each label scores its single most similar utterance. */
    public IntentEvaluator(String name, List<LabelledText> catalog, List<LabelledText> queries, Double outOfScopeThreshold) {
        this(name, catalog, queries, outOfScopeThreshold, 1);
    }

    /** @param neighbours how many of a label's most similar utterances its score averages */
    public IntentEvaluator(String name, List<LabelledText> catalog, List<LabelledText> queries, Double outOfScopeThreshold, int neighbours) {
        this.name = name;
        this.neighbours = IntentScore.requireValid(neighbours);
        // Grouped by label, so that each label's utterances are one range of rows.
        Map<String, List<LabelledText>> byLabel = new LinkedHashMap<>();
        catalog.stream().filter(t -> !t.outOfScope()).forEach(t -> byLabel.computeIfAbsent(t.label(), k -> new ArrayList<>()).add(t));
        this.catalog = byLabel.values().stream().flatMap(List::stream).toList();
        this.queries = List.copyOf(queries);
        this.outOfScopeThreshold = outOfScopeThreshold;
        if (this.catalog.isEmpty() || this.queries.isEmpty()) {
            throw new IllegalArgumentException("catalog and queries must not be empty");
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** The nearest-neighbour and nearest-centroid predictions with their cosines. */
    public Predictions predict(SentenceEncoder encoder) {
        float[][] cat = normalizedAll(encoder.encode(catalog.stream().map(LabelledText::text).toList()));
        float[][] q = normalizedAll(encoder.encode(queries.stream().map(LabelledText::text).toList()));
        Map<String, float[]> sums = new LinkedHashMap<>();
        for (int i = 0; i < cat.length; i++) {
            float[] sum = sums.computeIfAbsent(catalog.get(i).label(), k -> new float[cat[0].length]);
            for (int d = 0; d < sum.length; d++) {
                sum[d] += cat[i][d];
            }
        }
        List<String> centroidLabels = new ArrayList<>(sums.keySet());
        float[][] centroids = sums.values().stream().map(Vectors::normalized).toArray(float[][]::new);
        String[] nnLabel = new String[q.length];
        double[] nnScore = new double[q.length];
        String[] centroidLabel = new String[q.length];
        double[] centroidScore = new double[q.length];
        int[] firstRow = labelRanges();
        IntStream.range(0, q.length).parallel().forEach(i -> {
            float[] cosines = new float[cat.length];
            for (int j = 0; j < cat.length; j++) {
                cosines[j] = (float) Vectors.dot(q[i], cat[j]);
            }
            float bestScore = Float.NEGATIVE_INFINITY;
            for (int label = 0; label + 1 < firstRow.length; label++) {
                float score = IntentScore.of(cosines, firstRow[label], firstRow[label + 1], neighbours);
                if (score > bestScore) {
                    bestScore = score;
                    nnLabel[i] = catalog.get(firstRow[label]).label();
                }
            }
            nnScore[i] = bestScore;
            int bestCentroid = argmax(q[i], centroids);
            centroidLabel[i] = centroidLabels.get(bestCentroid);
            centroidScore[i] = Vectors.dot(q[i], centroids[bestCentroid]);
        });
        return new Predictions(nnLabel, nnScore, centroidLabel, centroidScore);
    }

    // Where each label's rows begin in the (label-grouped) catalog, and one past the last row.
    private int[] labelRanges() {
        List<Integer> starts = new ArrayList<>();
        for (int j = 0; j < catalog.size(); j++) {
            if (j == 0 || !catalog.get(j).label().equals(catalog.get(j - 1).label())) {
                starts.add(j);
            }
        }
        starts.add(catalog.size());
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Per-query predictions, in query order. */
    public record Predictions(String[] nnLabels, double[] nnScores, String[] centroidLabels, double[] centroidScores) {}

    @Override
    public EvaluationResult evaluate(SentenceEncoder encoder) {
        Predictions p = predict(encoder);
        String[] gold = queries.stream().map(LabelledText::label).toArray(String[]::new);
        Map<String, Double> m = new HashMap<>();
        put(m, "nn", gold, applyThreshold(p.nnLabels(), p.nnScores(), outOfScopeThreshold));
        put(m, "centroid", gold, applyThreshold(p.centroidLabels(), p.centroidScores(), outOfScopeThreshold));
        return new EvaluationResult("nn_accuracy", m);
    }

    /**
     * The threshold on the nearest-neighbour score that maximises accuracy (out-of-scope counted
     * as a class) on these queries, e.g. a validation file.
     */
    public double fitOutOfScopeThreshold(SentenceEncoder encoder) {
        Predictions p = predict(encoder);
        String[] gold = queries.stream().map(LabelledText::label).toArray(String[]::new);
        double[] candidates = IntStream.range(0, gold.length).mapToDouble(i -> p.nnScores()[i]).sorted().distinct().toArray();
        double bestThreshold = 0;
        double bestAccuracy = -1;
        for (int k = 0; k < candidates.length; k++) {
            // Midway between neighbouring scores, as sentence-transformers' threshold search does:
            // the queries scoring candidates[k] or less fall below it, with the widest margin.
            double t = k + 1 < candidates.length
                    ? (candidates[k] + candidates[k + 1]) / 2
                    : Math.nextUp(candidates[k]);
            double acc = ClassificationMetrics.accuracy(gold, applyThreshold(p.nnLabels(), p.nnScores(), t));
            if (acc > bestAccuracy) {
                bestAccuracy = acc;
                bestThreshold = t;
            }
        }
        double none = ClassificationMetrics.accuracy(gold, p.nnLabels());
        return none >= bestAccuracy ? 0 : bestThreshold;
    }

    private static String[] applyThreshold(String[] labels, double[] scores, Double threshold) {
        if (threshold == null) {
            return labels;
        }
        String[] out = labels.clone();
        for (int i = 0; i < out.length; i++) {
            if (scores[i] < threshold) {
                out[i] = LabelledText.OUT_OF_SCOPE;
            }
        }
        return out;
    }

    private static void put(Map<String, Double> m, String prefix, String[] gold, String[] predicted) {
        m.put(prefix + "_accuracy", ClassificationMetrics.accuracy(gold, predicted));
        m.put(prefix + "_macro_f1", ClassificationMetrics.macroF1(gold, predicted));
        if (java.util.Arrays.asList(gold).contains(LabelledText.OUT_OF_SCOPE)) {
            m.put(prefix + "_in_scope_accuracy", ClassificationMetrics.inScopeAccuracy(gold, predicted));
            m.put(prefix + "_oos_recall", ClassificationMetrics.outOfScopeRecall(gold, predicted));
        }
    }

    private static int argmax(float[] query, float[][] rows) {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < rows.length; j++) {
            double s = Vectors.dot(query, rows[j]);
            if (s > bestScore) {
                bestScore = s;
                best = j;
            }
        }
        return best;
    }

    private static float[][] normalizedAll(float[][] v) {
        float[][] out = new float[v.length][];
        for (int i = 0; i < v.length; i++) {
            out[i] = Vectors.normalized(v[i]);
        }
        return out;
    }
}
