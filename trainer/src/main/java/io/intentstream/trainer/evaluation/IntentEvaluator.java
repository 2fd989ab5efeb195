package io.intentstream.trainer.evaluation;

import io.intentstream.encoder.SentenceEncoder;
import io.intentstream.matching.BatchMatcher;
import io.intentstream.matching.IntentIndex;
import io.intentstream.matching.IntentScore;
import io.intentstream.matching.IntentVectors;
import io.intentstream.matching.MatchRule;
import io.intentstream.matching.ScoredIntent;
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
 * most similar utterances, as services score, see {@link IntentScore}) or of the most similar label
 * centroid (nearest centroid). Reports accuracy and macro-F1 of both; primary metric {@code
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
    public IntentEvaluator(
            String name,
            List<LabelledText> catalog,
            List<LabelledText> queries,
            Double outOfScopeThreshold) {
        this(name, catalog, queries, outOfScopeThreshold, 1);
    }

    /**
     * @param neighbours how many of a label's most similar utterances its score averages
     */
    public IntentEvaluator(
            String name,
            List<LabelledText> catalog,
            List<LabelledText> queries,
            Double outOfScopeThreshold,
            int neighbours) {
        this.name = name;
        this.neighbours = IntentScore.requireValid(neighbours);
        // Grouped by label, so that each label's utterances are one range of rows.
        Map<String, List<LabelledText>> byLabel = new LinkedHashMap<>();
        catalog.stream()
                .filter(t -> !t.outOfScope())
                .forEach(t -> byLabel.computeIfAbsent(t.label(), k -> new ArrayList<>()).add(t));
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

    /**
     * The nearest-neighbour and nearest-centroid predictions with their cosines. Nearest neighbour
     * is the services' own matching ({@link BatchMatcher} over an {@link IntentIndex} of the
     * catalog), so these labels are the verdicts a service would reach with fallback off.
     */
    public Predictions predict(SentenceEncoder encoder) {
        float[][] cat =
                encoder.encode(
                        catalog.stream().map(LabelledText::text).toList()); // (utterances, dim)
        float[][] q =
                encoder.encode(queries.stream().map(LabelledText::text).toList()); // (queries, dim)
        int dimension = encoder.dimension();
        Map<String, List<float[]>> byLabel = new LinkedHashMap<>();
        for (int i = 0; i < cat.length; i++) {
            byLabel.computeIfAbsent(catalog.get(i).label(), k -> new ArrayList<>()).add(cat[i]);
        }
        List<IntentVectors> intents = new ArrayList<>();
        List<IntentVectors> centroids = new ArrayList<>();
        byLabel.forEach(
                (label, vectors) -> {
                    intents.add(
                            new IntentVectors(label, "", null, vectors.toArray(float[][]::new)));
                    centroids.add(
                            new IntentVectors(
                                    label, "", null, new float[][] {centroid(vectors, dimension)}));
                });
        BatchMatcher nearest = BatchMatcher.nearestIntent();
        List<BatchMatcher.Match> nn =
                nearest.match(IntentIndex.of(dimension, intents), q, neighbours);
        List<BatchMatcher.Match> nc = nearest.match(IntentIndex.of(dimension, centroids), q, 1);
        return new Predictions(
                nn.stream().map(m -> m.label(LabelledText.OUT_OF_SCOPE)).toArray(String[]::new),
                nn.stream().mapToDouble(BatchMatcher.Match::bestScore).toArray(),
                nc.stream().map(m -> m.label(LabelledText.OUT_OF_SCOPE)).toArray(String[]::new),
                nc.stream().mapToDouble(BatchMatcher.Match::bestScore).toArray());
    }

    // The mean of the label's unit vectors: its centroid's direction.
    private static float[] centroid(List<float[]> vectors, int dimension) {
        float[] sum = new float[dimension];
        for (float[] v : vectors) {
            float[] unit = Vectors.normalized(v);
            for (int d = 0; d < dimension; d++) {
                sum[d] += unit[d];
            }
        }
        return sum;
    }

    /** Per-query predictions, in query order. */
    public record Predictions(
            String[] nnLabels,
            double[] nnScores,
            String[] centroidLabels,
            double[] centroidScores) {}

    @Override
    public EvaluationResult evaluate(SentenceEncoder encoder) {
        Predictions p = predict(encoder);
        String[] gold = queries.stream().map(LabelledText::label).toArray(String[]::new);
        Map<String, Double> m = new HashMap<>();
        put(m, "nn", gold, applyThreshold(p.nnLabels(), p.nnScores(), outOfScopeThreshold));
        put(
                m,
                "centroid",
                gold,
                applyThreshold(p.centroidLabels(), p.centroidScores(), outOfScopeThreshold));
        return new EvaluationResult("nn_accuracy", m);
    }

    /**
     * The threshold on the nearest-neighbour score that maximises accuracy (out-of-scope counted as
     * a class) on these queries, e.g. a validation file.
     */
    public double fitOutOfScopeThreshold(SentenceEncoder encoder) {
        Predictions p = predict(encoder);
        String[] gold = queries.stream().map(LabelledText::label).toArray(String[]::new);
        double[] candidates =
                IntStream.range(0, gold.length)
                        .mapToDouble(i -> p.nnScores()[i])
                        .sorted()
                        .distinct()
                        .toArray();
        double bestThreshold = 0;
        double bestAccuracy = -1;
        for (int k = 0; k < candidates.length; k++) {
            // Midway between neighbouring scores, as sentence-transformers' threshold search does:
            // the queries scoring candidates[k] or less fall below it, with the widest margin.
            double t =
                    MatchRule.separating(
                            candidates[k],
                            k + 1 < candidates.length ? candidates[k + 1] : Double.NaN);
            double acc =
                    ClassificationMetrics.accuracy(
                            gold, applyThreshold(p.nnLabels(), p.nnScores(), t));
            if (acc > bestAccuracy) {
                bestAccuracy = acc;
                bestThreshold = t;
            }
        }
        double none = ClassificationMetrics.accuracy(gold, p.nnLabels());
        return none >= bestAccuracy ? 0 : bestThreshold;
    }

    // The service's rule with one threshold for every intent, applied to the best intent's score.
    private static String[] applyThreshold(String[] labels, double[] scores, Double threshold) {
        if (threshold == null) {
            return labels;
        }
        MatchRule rule = MatchRule.threshold(threshold);
        String[] out = labels.clone();
        for (int i = 0; i < out.length; i++) {
            if (!rule.decide(List.of(new ScoredIntent(labels[i], "", (float) scores[i], null)))
                    .matched()) {
                out[i] = LabelledText.OUT_OF_SCOPE;
            }
        }
        return out;
    }

    private static void put(
            Map<String, Double> m, String prefix, String[] gold, String[] predicted) {
        m.put(prefix + "_accuracy", ClassificationMetrics.accuracy(gold, predicted));
        m.put(prefix + "_macro_f1", ClassificationMetrics.macroF1(gold, predicted));
        if (java.util.Arrays.asList(gold).contains(LabelledText.OUT_OF_SCOPE)) {
            m.put(
                    prefix + "_in_scope_accuracy",
                    ClassificationMetrics.inScopeAccuracy(gold, predicted));
            m.put(prefix + "_oos_recall", ClassificationMetrics.outOfScopeRecall(gold, predicted));
        }
    }
}
