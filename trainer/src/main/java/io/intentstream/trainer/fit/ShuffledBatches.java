package io.intentstream.trainer.fit;

import io.intentstream.trainer.data.InputExample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Examples shuffled anew each epoch (seeded by seed and epoch) and cut into batches; the last may
 * be smaller.
 */
public final class ShuffledBatches implements BatchSource {

    private final List<InputExample> examples;
    private final int batchSize;
    private final long seed;

    public ShuffledBatches(List<InputExample> examples, int batchSize, long seed) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        this.examples = List.copyOf(examples);
        this.batchSize = batchSize;
        this.seed = seed;
    }

    @Override
    public List<List<InputExample>> batches(int epoch) {
        List<InputExample> order = new ArrayList<>(examples);
        Collections.shuffle(order, new Random(seed * 31 + epoch));
        List<List<InputExample>> out = new ArrayList<>();
        for (int i = 0; i < order.size(); i += batchSize) {
            out.add(List.copyOf(order.subList(i, Math.min(order.size(), i + batchSize))));
        }
        return out;
    }
}
