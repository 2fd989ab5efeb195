package io.intentstream.trainer.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import java.util.Map;

/**
 * A training objective over sentence embeddings, as a sentence-transformers loss: it receives the
 * embedding of each text column of a batch and the batch's labels and returns a scalar to minimise.
 *
 * <p>Arrays are (batch, dim) float32, computed with gradients; labels are (batch) float32 (a score
 * or a class index), or null for losses that need none. Every array the loss creates belongs to the
 * caller's per-step scope.
 */
public interface SentenceLoss {

    /**
     * @param embeddings one (batch, dim) array per text column, in column order
     * @param labels (batch) float32, or null when the data has no labels
     * @return a scalar
     */
    NDArray forward(NDList embeddings, NDArray labels);

    /**
     * How many text columns each example must have (a minimum for losses that take optional
     * columns). Most losses compare pairs.
     */
    default int minColumns() {
        return 2;
    }

    /** Whether examples must carry a label. */
    boolean needsLabels();

    /** Parameters of the loss itself (e.g. SoftmaxLoss's classifier), trained with the model's. */
    default Map<String, Parameter> parameters() {
        return Map.of();
    }

    /** The sentence-transformers name of this loss. */
    default String name() {
        return getClass().getSimpleName();
    }
}
