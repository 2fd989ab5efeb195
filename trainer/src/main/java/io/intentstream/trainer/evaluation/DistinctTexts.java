package io.intentstream.trainer.evaluation;

import io.intentstream.encoder.SentenceEncoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Embeds every distinct text of some columns once, as sentence-transformers' evaluators do. */
final class DistinctTexts {

    private DistinctTexts() {}

    /** Unit-length embeddings of the distinct texts of {@code columns}, by text. */
    @SafeVarargs
    static Map<String, float[]> embed(SentenceEncoder encoder, List<String>... columns) {
        Set<String> distinct = new LinkedHashSet<>();
        for (List<String> column : columns) {
            distinct.addAll(column);
        }
        List<String> texts = new ArrayList<>(distinct);
        float[][] vectors = encoder.encode(texts);
        Map<String, float[]> out = new HashMap<>(texts.size() * 2);
        for (int i = 0; i < texts.size(); i++) {
            out.put(texts.get(i), Vectors.normalized(vectors[i]));
        }
        return out;
    }
}
