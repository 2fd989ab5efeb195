package io.intentstream.trainer.promote;

import io.intentstream.encoder.SentenceEncoder;
import io.intentstream.trainer.data.LabelledText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The intents a model confuses most easily: per intent, the others whose utterance centroids are closest. */
public final class NearestIntents {

    private NearestIntents() {}

    public static Map<String, List<String>> of(List<LabelledText> catalog, SentenceEncoder encoder, int perIntent) {
        float[][] vectors = encoder.encode(catalog.stream().map(LabelledText::text).toList()); // (utterances, dim)
        Map<String, float[]> sums = new LinkedHashMap<>();
        for (int i = 0; i < vectors.length; i++) {
            float[] v = vectors[i];
            float[] sum = sums.computeIfAbsent(catalog.get(i).label(), k -> new float[v.length]);
            for (int d = 0; d < v.length; d++) {
                sum[d] += v[d];
            }
        }
        List<String> ids = new ArrayList<>(sums.keySet());
        List<float[]> centroids = sums.values().stream().map(NearestIntents::normalized).toList();
        Map<String, List<String>> out = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            int self = i;
            List<Integer> others = new ArrayList<>();
            for (int j = 0; j < ids.size(); j++) {
                if (j != i) {
                    others.add(j);
                }
            }
            others.sort(Comparator.comparingDouble(j -> -dot(centroids.get(self), centroids.get(j))));
            out.put(ids.get(i), others.stream().limit(perIntent).map(ids::get).toList());
        }
        return out;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static float[] normalized(float[] v) {
        double n = Math.sqrt(dot(v, v));
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = n == 0 ? 0 : (float) (v[i] / n);
        }
        return out;
    }
}
