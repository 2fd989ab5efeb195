package io.intentstream.trainer.fit;

import io.intentstream.encoder.SentenceEncoder;
import io.intentstream.trainer.data.DataFormat;
import io.intentstream.trainer.data.ExampleReader;
import io.intentstream.trainer.data.HardNegativeMiner;
import io.intentstream.trainer.data.InputExample;
import io.intentstream.trainer.data.LabelledPairs;
import io.intentstream.trainer.data.batching.NoDuplicatesBatchSampler;
import io.intentstream.trainer.losses.LossName;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * How a training file becomes batches for a loss, as sentence-transformers' {@code fit} does it:
 * the file read in its {@link DataFormat}, labelled utterances turned into same-label pairs (or
 * triplets for TripletLoss), optionally a mined hard negative per pair, and batches that keep
 * duplicates apart wherever the loss takes the rest of the batch as negatives.
 */
public final class FitRecipe {

    private FitRecipe() {}

    /**
     * The training file as examples; labelled utterances become same-label pairs (triplets for
     * TripletLoss).
     */
    public static List<InputExample> examples(
            DataFormat format, Path train, LossName loss, float scoreMax, long seed)
            throws IOException {
        return switch (format) {
            case PAIRS_SCORE -> ExampleReader.pairsWithScore(train, scoreMax);
            case LABELLED ->
                    loss == LossName.TripletLoss
                            ? LabelledPairs.triplets(format.read(train), seed)
                            : LabelledPairs.anchorPositivePairs(format.read(train), seed);
            default -> format.read(train);
        };
    }

    /**
     * Whether hard negatives can be mined for this data and loss: labelled data, in-batch
     * negatives.
     */
    public static boolean minesHardNegatives(DataFormat format, LossName loss) {
        return format == DataFormat.LABELLED && loss.usesInBatchNegatives();
    }

    /**
     * Adds to each same-label pair of {@code pairs} the utterance of {@code train} (labelled) of
     * another label that {@code encoder} finds closest to the anchor; see {@link
     * HardNegativeMiner}.
     */
    public static List<InputExample> withHardNegatives(
            List<InputExample> pairs, Path train, SentenceEncoder encoder) throws IOException {
        return HardNegativeMiner.mine(pairs, DataFormat.LABELLED.read(train), encoder);
    }

    /**
     * With in-batch negatives, no text may occur twice in a batch, and same-label pairs must be
     * apart (they would be false negatives of each other), as sentence-transformers' NO_DUPLICATES;
     * otherwise the examples are shuffled anew each epoch.
     *
     * @param distinctLabels keep same-label examples apart (labelled data)
     */
    public static BatchSource batches(
            List<InputExample> examples,
            LossName loss,
            int batchSize,
            boolean distinctLabels,
            long seed) {
        if (!loss.usesInBatchNegatives()) {
            return new ShuffledBatches(examples, batchSize, seed);
        }
        return BatchSource.sampled(
                new NoDuplicatesBatchSampler(batchSize, distinctLabels), examples, seed);
    }
}
