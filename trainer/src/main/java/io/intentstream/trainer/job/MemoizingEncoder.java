package io.intentstream.trainer.job;

import io.intentstream.encoder.SentenceEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An encoder that embeds each distinct text once: a run's gate, threshold fitting and publishing
 * all embed the same catalog utterances and exemplars with the candidate. Valid only while the
 * wrapped encoder's model does not change; closing it leaves the wrapped encoder open.
 */
final class MemoizingEncoder implements SentenceEncoder {

    private final SentenceEncoder encoder;
    private final Map<String, float[]> vectors = new ConcurrentHashMap<>();

    MemoizingEncoder(SentenceEncoder encoder) {
        this.encoder = encoder;
    }

    @Override
    public int dimension() {
        return encoder.dimension();
    }

    @Override
    public float[][] encode(List<String> texts) {
        List<String> missing =
                new ArrayList<>(
                        texts.stream().filter(t -> !vectors.containsKey(t)).distinct().toList());
        if (!missing.isEmpty()) {
            float[][] fresh = encoder.encode(missing);
            for (int i = 0; i < missing.size(); i++) {
                vectors.put(missing.get(i), fresh[i]);
            }
        }
        float[][] out = new float[texts.size()][];
        for (int i = 0; i < texts.size(); i++) {
            out[i] = vectors.get(texts.get(i)).clone();
        }
        return out;
    }

    /** Distinct texts embedded so far. */
    int embedded() {
        return vectors.size();
    }

    @Override
    public void close() {
        vectors.clear();
    }
}
