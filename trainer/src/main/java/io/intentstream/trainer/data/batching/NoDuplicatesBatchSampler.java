package io.intentstream.trainer.data.batching;

import io.intentstream.trainer.data.InputExample;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * sentence-transformers' {@code NO_DUPLICATES} batch sampler: no text occurs twice in a batch,
 * because with in-batch negatives (MultipleNegativesRankingLoss) a repeated text would be a
 * negative of itself. Optionally label-aware: no two examples with the same label in one batch,
 * because two same-label pairs would be false negatives of each other.
 *
 * <p>The examples are shuffled with the seed; each batch is then filled by walking the remaining
 * examples in that order and taking every one that clashes with nothing already in the batch. A
 * batch that cannot be filled is emitted smaller, so no example is ever dropped; the last batches
 * of an epoch can be small when few labels (or many repeats) remain.
 */
public final class NoDuplicatesBatchSampler implements BatchSampler {

    private final int batchSize;
    private final boolean distinctLabels;

    /**
     * @param distinctLabels also keep examples with the same (non-null) label in different batches
     */
    public NoDuplicatesBatchSampler(int batchSize, boolean distinctLabels) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.distinctLabels = distinctLabels;
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    public boolean distinctLabels() {
        return distinctLabels;
    }

    @Override
    public List<List<InputExample>> batches(List<InputExample> examples, long seed) {
        int[] order = Permutations.random(examples.size(), new SplittableRandom(seed));
        // Insertion-ordered, so the walk follows the shuffle; removal is O(1).
        Set<Integer> remaining = new LinkedHashSet<>(order.length * 2);
        for (int i : order) {
            remaining.add(i);
        }
        List<List<InputExample>> out = new ArrayList<>();
        while (!remaining.isEmpty()) {
            List<InputExample> batch = new ArrayList<>(batchSize);
            List<Integer> taken = new ArrayList<>(batchSize);
            Set<String> texts = new HashSet<>();
            Set<Float> labels = new HashSet<>();
            for (int i : remaining) {
                InputExample e = examples.get(i);
                if (clashes(e, texts, labels)) {
                    continue;
                }
                batch.add(e);
                taken.add(i);
                if (batch.size() == batchSize) {
                    break;
                }
                texts.addAll(e.texts());
                if (distinctLabels && e.label() != null) {
                    labels.add(e.label());
                }
            }
            remaining.removeAll(taken);
            out.add(List.copyOf(batch));
        }
        return List.copyOf(out);
    }

    private boolean clashes(InputExample e, Set<String> texts, Set<Float> labels) {
        if (distinctLabels && e.label() != null && labels.contains(e.label())) {
            return true;
        }
        for (String t : e.texts()) {
            if (texts.contains(t)) {
                return true;
            }
        }
        return false;
    }
}
