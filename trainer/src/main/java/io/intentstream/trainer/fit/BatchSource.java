package io.intentstream.trainer.fit;

import io.intentstream.trainer.data.InputExample;
import io.intentstream.trainer.data.batching.BatchSampler;
import java.util.List;

/**
 * The batches of one epoch, as {@link Trainer} asks for them. The same epoch must give the same
 * batches every time it is asked for (derive any shuffling from a seed and the epoch), so that a
 * resumed run skips exactly the batches already trained on.
 *
 * <p>A {@link BatchSampler} is the policy (how one seeded epoch is cut); a source binds a training
 * set and a run's seed to it, epoch by epoch.
 */
@FunctionalInterface
public interface BatchSource {

    List<List<InputExample>> batches(int epoch);

    /**
     * {@code examples} cut by {@code sampler}, seeded with {@code seed * 31 + epoch} each epoch.
     */
    static BatchSource sampled(BatchSampler sampler, List<InputExample> examples, long seed) {
        List<InputExample> fixed = List.copyOf(examples);
        return epoch -> sampler.batches(fixed, seed * 31 + epoch);
    }
}
