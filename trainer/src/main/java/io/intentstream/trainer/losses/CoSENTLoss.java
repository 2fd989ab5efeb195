package io.intentstream.trainer.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.intentstream.encoder.GraphConstant;

/**
 * sentence-transformers' {@code CoSENTLoss}: log(1 + Σ exp(s·(cos_i − cos_j))) over every pair of
 * pairs (i, j) whose gold scores rank j above i, so only the order of the scores matters. Default
 * scale s = 20.
 */
public final class CoSENTLoss implements SentenceLoss {

    public static final float DEFAULT_SCALE = 20f;

    /** What the Python code subtracts to drop a term from the log-sum-exp. */
    private static final float EXCLUDED = 1e12f;

    private final float scale;

    public CoSENTLoss(float scale) {
        this.scale = scale;
    }

    public CoSENTLoss() {
        this(DEFAULT_SCALE);
    }

    @Override
    public NDArray forward(NDList embeddings, NDArray labels) {
        NDArray cos = Similarity.pairwiseCosine(embeddings.get(0), embeddings.get(1));
        NDArray s = cos.mul(GraphConstant.of(cos, scale)); // (n)
        NDArray diff = s.expandDims(1).sub(s.expandDims(0)); // (n, n): s_i − s_j
        float[] y = labels.toFloatArray();
        int n = y.length;
        float[] excluded = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                excluded[i * n + j] = y[i] < y[j] ? 0f : EXCLUDED;
            }
        }
        NDManager m = s.getManager();
        NDArray terms =
                NDArrays.concat(
                        new NDList(
                                m.zeros(new ai.djl.ndarray.types.Shape(1)),
                                diff.sub(m.create(excluded).reshape(n, n)).reshape(-1)),
                        0);
        return logSumExp(terms);
    }

    /** log Σ exp(x), stabilised by the maximum (whose gradient contributions cancel exactly). */
    static NDArray logSumExp(NDArray x) {
        float max = x.max().getFloat();
        return x.sub(max).exp().sum().log().add(max);
    }

    @Override
    public boolean needsLabels() {
        return true;
    }
}
