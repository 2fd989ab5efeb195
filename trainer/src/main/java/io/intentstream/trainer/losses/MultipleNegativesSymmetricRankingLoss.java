package io.intentstream.trainer.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.intentstream.encoder.GraphConstant;

/**
 * sentence-transformers' {@code MultipleNegativesSymmetricRankingLoss}: the mean of {@link
 * MultipleNegativesRankingLoss} (each anchor picks its positive among the batch's positives and
 * hard negatives) and the same ranking backwards (each positive picks its anchor among the batch's
 * anchors). Suits pairs that hold both ways round, such as two utterances of one intent. Default
 * scale 20.
 */
public final class MultipleNegativesSymmetricRankingLoss implements SentenceLoss {

    private final float scale;

    public MultipleNegativesSymmetricRankingLoss(float scale) {
        this.scale = scale;
    }

    public MultipleNegativesSymmetricRankingLoss() {
        this(MultipleNegativesRankingLoss.DEFAULT_SCALE);
    }

    @Override
    public NDArray forward(NDList embeddings, NDArray labels) {
        NDArray scores =
                MultipleNegativesRankingLoss.scaledScores(embeddings, scale); // positives first
        NDArray forward =
                Similarity.crossEntropy(
                        scores, MultipleNegativesRankingLoss.ownPositives(embeddings));
        int n = (int) embeddings.get(0).getShape().get(0);
        NDArray positivesToAnchors = scores.get(":, :" + n).transpose(); // (n positives, n anchors)
        NDArray backward =
                Similarity.crossEntropy(
                        positivesToAnchors, scores.getManager().eye(n, n, 0, scores.getDataType()));
        return forward.add(backward).div(GraphConstant.of(forward, 2f));
    }

    @Override
    public boolean needsLabels() {
        return false;
    }
}
