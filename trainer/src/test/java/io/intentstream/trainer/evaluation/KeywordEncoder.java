package io.intentstream.trainer.evaluation;

import io.intentstream.encoder.SentenceEncoder;
import java.util.List;

/**
 * A real, tiny encoder for tests: one dimension per keyword, counting its occurrences, then
 * L2-normalised (sentence-transformers' keyword one-hot idea, as data).
 */
final class KeywordEncoder implements SentenceEncoder {

    private final List<String> keywords;

    KeywordEncoder(String... keywords) {
        this.keywords = List.of(keywords);
    }

    @Override
    public int dimension() {
        return keywords.size();
    }

    @Override
    public float[][] encode(List<String> texts) {
        float[][] out = new float[texts.size()][];
        for (int i = 0; i < texts.size(); i++) {
            float[] v = new float[keywords.size()];
            for (String word : texts.get(i).toLowerCase().split("\\W+")) {
                int k = keywords.indexOf(word);
                if (k >= 0) {
                    v[k]++;
                }
            }
            out[i] = Vectors.normalized(v);
        }
        return out;
    }

    @Override
    public void close() {}
}
