package io.intentstream.trainer.losses;

import ai.djl.ndarray.NDArray;
import io.intentstream.encoder.GraphConstant;

/** Differentiable similarity and distance functions shared by the losses. */
final class Similarity {

    /** torch.nn.functional.normalize's floor on the norm. */
    private static final float NORM_EPS = 1e-12f;

    /** torch.nn.functional.pairwise_distance's default eps, added to the difference. */
    static final float PAIRWISE_DISTANCE_EPS = 1e-6f;

    private Similarity() {}

    /** Rows scaled to unit length: (n, d) → (n, d). */
    static NDArray normalize(NDArray x) {
        return x.div(x.norm(new int[] {-1}, true).maximum(GraphConstant.of(x, NORM_EPS)));
    }

    /** Cosine similarity of row i of a with row i of b: (n, d), (n, d) → (n). */
    static NDArray pairwiseCosine(NDArray a, NDArray b) {
        return normalize(a).mul(normalize(b)).sum(new int[] {-1});
    }

    /** Cosine similarity of every row of a with every row of b: (n, d), (m, d) → (n, m). */
    static NDArray cosineMatrix(NDArray a, NDArray b) {
        return normalize(a).matMul(normalize(b).transpose());
    }

    /**
     * Euclidean distance of row i of a to row i of b, as torch's pairwise_distance: ||a − b +
     * eps||.
     */
    static NDArray pairwiseEuclidean(NDArray a, NDArray b) {
        return a.sub(b).add(PAIRWISE_DISTANCE_EPS).norm(new int[] {-1});
    }

    /**
     * Mean cross-entropy of logits (n, classes) against one-hot targets (n, classes), as
     * torch.nn.functional.cross_entropy with class indices.
     */
    static NDArray crossEntropy(NDArray logits, NDArray oneHot) {
        return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg().mean();
    }
}
