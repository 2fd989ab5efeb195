package io.intentstream.trainer.evaluation;

import io.intentstream.encoder.SentenceEncoder;
import io.intentstream.trainer.data.InputExample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fraction of (anchor, positive, negative) triplets where the anchor is closer to the positive
 * than to the negative by cosine similarity, as sentence-transformers' {@code TripletEvaluator}:
 * correct when cos(a, p) − cos(a, n) > margin (strictly; a tie is wrong). Metric and primary
 * metric: {@code cosine_accuracy}.
 */
public final class TripletEvaluator implements SentenceEvaluator {

    private final String name;
    private final List<String> anchors;
    private final List<String> positives;
    private final List<String> negatives;
    private final double margin;

    public TripletEvaluator(
            String name,
            List<String> anchors,
            List<String> positives,
            List<String> negatives,
            double margin) {
        if (anchors.size() != positives.size() || anchors.size() != negatives.size()) {
            throw new IllegalArgumentException(
                    "anchors, positives and negatives must have equal lengths");
        }
        if (anchors.isEmpty()) {
            throw new IllegalArgumentException("no triplets to evaluate");
        }
        this.name = name;
        this.anchors = List.copyOf(anchors);
        this.positives = List.copyOf(positives);
        this.negatives = List.copyOf(negatives);
        this.margin = margin;
    }

    /** From three-text examples (anchor, positive, negative), margin 0. */
    public static TripletEvaluator fromExamples(String name, List<InputExample> examples) {
        return fromExamples(name, examples, 0);
    }

    /** From three-text examples (anchor, positive, negative). */
    public static TripletEvaluator fromExamples(
            String name, List<InputExample> examples, double margin) {
        List<String> a = new ArrayList<>();
        List<String> p = new ArrayList<>();
        List<String> n = new ArrayList<>();
        for (InputExample e : examples) {
            if (e.texts().size() != 3) {
                throw new IllegalArgumentException("a triplet has three texts: " + e);
            }
            a.add(e.text(0));
            p.add(e.text(1));
            n.add(e.text(2));
        }
        return new TripletEvaluator(name, a, p, n, margin);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public EvaluationResult evaluate(SentenceEncoder encoder) {
        Map<String, float[]> v = DistinctTexts.embed(encoder, anchors, positives, negatives);
        int correct = 0;
        for (int i = 0; i < anchors.size(); i++) {
            float[] a = v.get(anchors.get(i));
            if (Vectors.dot(a, v.get(positives.get(i))) - Vectors.dot(a, v.get(negatives.get(i)))
                    > margin) {
                correct++;
            }
        }
        return new EvaluationResult(
                "cosine_accuracy", Map.of("cosine_accuracy", (double) correct / anchors.size()));
    }
}
