package io.intentstream.trainer.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * sentence-transformers' {@code CosineSimilarityLoss}: the mean squared error between the cosine
 * similarity of each pair (u, v) and its gold score, e.g. an STS score normalised to 0–1.
 */
public final class CosineSimilarityLoss implements SentenceLoss {

    @Override
    public NDArray forward(NDList embeddings, NDArray labels) {
        NDArray cos = Similarity.pairwiseCosine(embeddings.get(0), embeddings.get(1));
        return cos.sub(labels).square().mean();
    }

    @Override
    public boolean needsLabels() {
        return true;
    }
}
