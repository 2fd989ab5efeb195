package io.intentstream.trainer.evaluation;

import io.intentstream.encoder.SentenceEncoder;
import io.intentstream.trainer.data.InputExample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

/**
 * Spearman and Pearson correlation between the cosine similarity of sentence pairs and gold scores,
 * as sentence-transformers' {@code EmbeddingSimilarityEvaluator}. Primary metric: {@code
 * spearman_cosine}.
 */
public final class EmbeddingSimilarityEvaluator implements SentenceEvaluator {

    private final String name;
    private final List<String> sentences1;
    private final List<String> sentences2;
    private final double[] gold;

    public EmbeddingSimilarityEvaluator(
            String name, List<String> sentences1, List<String> sentences2, double[] gold) {
        if (sentences1.size() != sentences2.size() || sentences1.size() != gold.length) {
            throw new IllegalArgumentException(
                    "sentences1, sentences2 and scores must have equal lengths");
        }
        if (gold.length < 2) {
            throw new IllegalArgumentException("correlation needs at least 2 pairs");
        }
        this.name = name;
        this.sentences1 = List.copyOf(sentences1);
        this.sentences2 = List.copyOf(sentences2);
        this.gold = gold.clone();
    }

    /** From pairs whose label is the gold score. */
    public static EmbeddingSimilarityEvaluator fromExamples(
            String name, List<InputExample> examples) {
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        double[] g = new double[examples.size()];
        for (int i = 0; i < examples.size(); i++) {
            InputExample e = examples.get(i);
            a.add(e.text(0));
            b.add(e.text(1));
            g[i] = e.label();
        }
        return new EmbeddingSimilarityEvaluator(name, a, b, g);
    }

    @Override
    public String name() {
        return name;
    }

    /** Cosine similarity of each pair, each distinct sentence embedded once. */
    public double[] cosines(SentenceEncoder encoder) {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (List<String> side : List.of(sentences1, sentences2)) {
            for (String s : side) {
                index.putIfAbsent(s, index.size());
            }
        }
        float[][] vectors = encoder.encode(new ArrayList<>(index.keySet()));
        double[] cos = new double[gold.length];
        for (int i = 0; i < cos.length; i++) {
            cos[i] =
                    Vectors.cosine(
                            vectors[index.get(sentences1.get(i))],
                            vectors[index.get(sentences2.get(i))]);
        }
        return cos;
    }

    @Override
    public EvaluationResult evaluate(SentenceEncoder encoder) {
        double[] cos = cosines(encoder);
        return new EvaluationResult(
                "spearman_cosine",
                Map.of(
                        "spearman_cosine", new SpearmansCorrelation().correlation(cos, gold),
                        "pearson_cosine", new PearsonsCorrelation().correlation(cos, gold)));
    }
}
