package io.intentstream.trainer.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.intentstream.encoder.GraphConstant;

/**
 * sentence-transformers' {@code MultipleNegativesRankingLoss}: for each anchor, cross-entropy over
 * the scaled cosine similarities with every candidate of the batch, where its own positive is the
 * right answer and the other examples' positives (and every hard negative in an optional third
 * column) are negatives. Default scale 20.
 *
 * <p>Two examples of the same class in one batch make each other's positive a false negative; batch
 * them apart.
 */
public final class MultipleNegativesRankingLoss implements SentenceLoss {

    public static final float DEFAULT_SCALE = 20f;

    private final float scale;

    public MultipleNegativesRankingLoss(float scale) {
        this.scale = scale;
    }

    public MultipleNegativesRankingLoss() {
        this(DEFAULT_SCALE);
    }

    @Override
    public NDArray forward(NDList embeddings, NDArray labels) {
        return Similarity.crossEntropy(scaledScores(embeddings, scale), ownPositives(embeddings));
    }

    /**
     * The scaled cosines of each anchor (first column) with every candidate: the positives (second
     * column), then the hard negatives of any further columns. Shape (n, n·(columns−1)).
     */
    static NDArray scaledScores(NDList embeddings, float scale) {
        NDArray candidates =
                embeddings.size() == 2
                        ? embeddings.get(1)
                        : NDArrays.concat(new NDList(embeddings.subList(1, embeddings.size())), 0);
        NDArray cosines = Similarity.cosineMatrix(embeddings.get(0), candidates);
        return cosines.mul(GraphConstant.of(cosines, scale));
    }

    /** One-hot targets over {@link #scaledScores}: each anchor's own positive. */
    static NDArray ownPositives(NDList embeddings) {
        NDArray anchors = embeddings.get(0);
        int n = (int) anchors.getShape().get(0);
        return anchors.getManager().eye(n, n * (embeddings.size() - 1), 0, anchors.getDataType());
    }

    @Override
    public boolean needsLabels() {
        return false;
    }
}
