package io.intentstream.trainer.data.batching;

import io.intentstream.trainer.data.InputExample;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Shuffles the examples with the seed and cuts them into consecutive batches (the last may be smaller). */
public final class ShuffledBatchSampler implements BatchSampler {

    private final int batchSize;

    public ShuffledBatchSampler(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.batchSize = batchSize;
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public List<List<InputExample>> batches(List<InputExample> examples, long seed) {
        int[] order = Permutations.random(examples.size(), new SplittableRandom(seed));
        List<List<InputExample>> out = new ArrayList<>((examples.size() + batchSize - 1) / batchSize);
        for (int from = 0; from < order.length; from += batchSize) {
            List<InputExample> batch = new ArrayList<>(batchSize);
            for (int i = from; i < Math.min(from + batchSize, order.length); i++) {
                batch.add(examples.get(order[i]));
            }
            out.add(List.copyOf(batch));
        }
        return List.copyOf(out);
    }
}
