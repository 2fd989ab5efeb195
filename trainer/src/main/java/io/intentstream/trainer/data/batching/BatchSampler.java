package io.intentstream.trainer.data.batching;

import io.intentstream.trainer.data.InputExample;
import java.util.List;

/**
 * Splits a training set into the batches of one epoch, as a sentence-transformers batch sampler.
 * The result is a function of the examples and the seed alone: the same seed gives the same
 * batches, so a resumed run can replay an epoch. Callers pass a different seed per epoch (e.g. the
 * run's seed plus the epoch number, as sentence-transformers does). Every example appears in
 * exactly one batch; the last batches may be smaller than the batch size.
 */
public interface BatchSampler {

    /** The largest number of examples in a batch. */
    int batchSize();

    /** The batches of one epoch, in training order. */
    List<List<InputExample>> batches(List<InputExample> examples, long seed);
}
