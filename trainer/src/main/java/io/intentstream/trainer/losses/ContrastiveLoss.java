package io.intentstream.trainer.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import io.intentstream.encoder.GraphConstant;

/**
 * sentence-transformers' {@code ContrastiveLoss} with its default cosine distance d = 1 − cos(u,
 * v): mean over pairs of 0.5·(y·d² + (1 − y)·max(0, margin − d)²), where y is 1 for a similar pair
 * and 0 for a dissimilar one. Default margin 0.5.
 */
public final class ContrastiveLoss implements SentenceLoss {

    public static final float DEFAULT_MARGIN = 0.5f;

    private final float margin;

    public ContrastiveLoss(float margin) {
        this.margin = margin;
    }

    public ContrastiveLoss() {
        this(DEFAULT_MARGIN);
    }

    @Override
    public NDArray forward(NDList embeddings, NDArray labels) {
        NDArray distance =
                Similarity.pairwiseCosine(embeddings.get(0), embeddings.get(1)).neg().add(1f);
        NDArray similar = labels.mul(distance.square());
        NDArray dissimilar =
                labels.neg().add(1f).mul(Activation.relu(distance.neg().add(margin)).square());
        return similar.add(dissimilar).mul(GraphConstant.of(distance, 0.5f)).mean();
    }

    @Override
    public boolean needsLabels() {
        return true;
    }
}
