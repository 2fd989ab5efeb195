package io.intentstream.trainer.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;

/**
 * sentence-transformers' {@code TripletLoss} with its default Euclidean distance: mean over
 * (anchor, positive, negative) triplets of max(0, ||a − p|| − ||a − n|| + margin). Default margin
 * 5.
 */
public final class TripletLoss implements SentenceLoss {

    public static final float DEFAULT_MARGIN = 5f;

    private final float margin;

    public TripletLoss(float margin) {
        this.margin = margin;
    }

    public TripletLoss() {
        this(DEFAULT_MARGIN);
    }

    @Override
    public NDArray forward(NDList embeddings, NDArray labels) {
        NDArray anchor = embeddings.get(0);
        NDArray toPositive = Similarity.pairwiseEuclidean(anchor, embeddings.get(1));
        NDArray toNegative = Similarity.pairwiseEuclidean(anchor, embeddings.get(2));
        return Activation.relu(toPositive.sub(toNegative).add(margin)).mean();
    }

    @Override
    public int minColumns() {
        return 3;
    }

    @Override
    public boolean needsLabels() {
        return false;
    }
}
