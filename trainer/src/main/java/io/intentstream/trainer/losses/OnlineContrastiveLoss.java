package io.intentstream.trainer.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;

/**
 * sentence-transformers' {@code OnlineContrastiveLoss}: {@link ContrastiveLoss} on the hard pairs
 * of the batch only, summed rather than averaged and without the 0.5 factor. With cosine distance
 * d: hard negatives are negatives closer than the farthest positive, hard positives are positives
 * farther than the closest negative (with a single positive or negative, the mean of the other side
 * is the threshold, as in the Python code). Default margin 0.5.
 */
public final class OnlineContrastiveLoss implements SentenceLoss {

    private final float margin;

    public OnlineContrastiveLoss(float margin) {
        this.margin = margin;
    }

    public OnlineContrastiveLoss() {
        this(ContrastiveLoss.DEFAULT_MARGIN);
    }

    @Override
    public NDArray forward(NDList embeddings, NDArray labels) {
        NDArray distance =
                Similarity.pairwiseCosine(embeddings.get(0), embeddings.get(1)).neg().add(1f);
        float[] d = distance.toFloatArray();
        float[] y = labels.toFloatArray();
        float[] hardPositive = new float[d.length];
        float[] hardNegative = new float[d.length];
        double posMax = Double.NEGATIVE_INFINITY;
        double negMin = Double.POSITIVE_INFINITY;
        double posSum = 0;
        double negSum = 0;
        int positives = 0;
        int negatives = 0;
        for (int i = 0; i < d.length; i++) {
            if (y[i] == 1f) {
                positives++;
                posSum += d[i];
                posMax = Math.max(posMax, d[i]);
            } else if (y[i] == 0f) {
                negatives++;
                negSum += d[i];
                negMin = Math.min(negMin, d[i]);
            }
        }
        // The mean of an empty side is NaN in torch, and every comparison with NaN is false.
        double negativeThreshold =
                positives > 1 ? posMax : (negatives > 0 ? negSum / negatives : Double.NaN);
        double positiveThreshold =
                negatives > 1 ? negMin : (positives > 0 ? posSum / positives : Double.NaN);
        for (int i = 0; i < d.length; i++) {
            if (y[i] == 1f && d[i] > positiveThreshold) {
                hardPositive[i] = 1f;
            } else if (y[i] == 0f && d[i] < negativeThreshold) {
                hardNegative[i] = 1f;
            }
        }
        NDManager m = distance.getManager();
        NDArray positiveLoss = distance.square().mul(m.create(hardPositive)).sum();
        NDArray negativeLoss =
                Activation.relu(distance.neg().add(margin))
                        .square()
                        .mul(m.create(hardNegative))
                        .sum();
        return positiveLoss.add(negativeLoss);
    }

    @Override
    public boolean needsLabels() {
        return true;
    }
}
