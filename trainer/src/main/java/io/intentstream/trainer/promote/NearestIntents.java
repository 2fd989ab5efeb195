package io.intentstream.trainer.promote;

import io.intentstream.encoder.SentenceEncoder;
import io.intentstream.trainer.data.LabelledText;
import io.intentstream.trainer.evaluation.Vectors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The intents a model confuses most easily: per intent, the others whose utterance centroids are
 * closest.
 */
public final class NearestIntents {

    private NearestIntents() {}

    public static Map<String, List<String>> of(
            List<LabelledText> catalog, SentenceEncoder encoder, int perIntent) {
        float[][] vectors =
                encoder.encode(
                        catalog.stream().map(LabelledText::text).toList()); // (utterances, dim)
        Map<String, float[]> sums = new LinkedHashMap<>();
        for (int i = 0; i < vectors.length; i++) {
            float[] v = vectors[i];
            float[] sum = sums.computeIfAbsent(catalog.get(i).label(), k -> new float[v.length]);
            for (int d = 0; d < v.length; d++) {
                sum[d] += v[d];
            }
        }
        List<String> ids = new ArrayList<>(sums.keySet());
        List<float[]> centroids = sums.values().stream().map(Vectors::normalized).toList();
        Map<String, List<String>> out = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            int self = i;
            List<Integer> others = new ArrayList<>();
            for (int j = 0; j < ids.size(); j++) {
                if (j != i) {
                    others.add(j);
                }
            }
            others.sort(
                    Comparator.comparingDouble(
                            j -> -Vectors.dot(centroids.get(self), centroids.get(j))));
            out.put(ids.get(i), others.stream().limit(perIntent).map(ids::get).toList());
        }
        return out;
    }
}
