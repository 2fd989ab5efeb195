package io.intentstream.trainer.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import io.intentstream.encoder.GraphConstant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * sentence-transformers' {@code MatryoshkaLoss}: the weighted sum of an inner loss applied to the
 * embeddings truncated to each of several leading dimensions, so that prefixes of the vector are
 * useful embeddings on their own. Defaults here: dims 384, 256, 128, 64, every weight 1.
 */
public final class MatryoshkaLoss implements SentenceLoss {

    public static final List<Integer> DEFAULT_DIMS = List.of(384, 256, 128, 64);

    private final SentenceLoss inner;
    private final int[] dims;
    private final float[] weights;

    public MatryoshkaLoss(SentenceLoss inner, List<Integer> dims, List<Float> weights) {
        if (dims.isEmpty() || dims.size() != weights.size()) {
            throw new IllegalArgumentException(
                    "MatryoshkaLoss needs one weight per dimension, got "
                            + dims.size()
                            + " dims and "
                            + weights.size()
                            + " weights");
        }
        this.inner = inner;
        this.dims = dims.stream().mapToInt(Integer::intValue).toArray();
        this.weights = new float[weights.size()];
        for (int i = 0; i < this.weights.length; i++) {
            this.weights[i] = weights.get(i);
        }
    }

    public MatryoshkaLoss(SentenceLoss inner, List<Integer> dims) {
        this(inner, dims, java.util.Collections.nCopies(dims.size(), 1f));
    }

    public MatryoshkaLoss(SentenceLoss inner) {
        this(inner, DEFAULT_DIMS);
    }

    @Override
    public NDArray forward(NDList embeddings, NDArray labels) {
        long full = embeddings.get(0).getShape().get(1);
        NDArray total = null;
        for (int k = 0; k < dims.length; k++) {
            if (dims[k] > full) {
                throw new IllegalArgumentException(
                        "Matryoshka dimension "
                                + dims[k]
                                + " exceeds the embedding dimension "
                                + full);
            }
            NDList truncated = new NDList();
            for (NDArray e : embeddings) {
                truncated.add(dims[k] == full ? e : e.get(":, :" + dims[k]));
            }
            NDArray innerLoss = inner.forward(truncated, labels);
            NDArray term = innerLoss.mul(GraphConstant.of(innerLoss, weights[k]));
            total = total == null ? term : total.add(term);
        }
        return total;
    }

    public SentenceLoss inner() {
        return inner;
    }

    public int[] dims() {
        return dims.clone();
    }

    @Override
    public Map<String, Parameter> parameters() {
        return inner.parameters();
    }

    @Override
    public int minColumns() {
        return inner.minColumns();
    }

    @Override
    public boolean needsLabels() {
        return inner.needsLabels();
    }

    @Override
    public String toString() {
        return "MatryoshkaLoss(" + inner.name() + ", dims " + Arrays.toString(dims) + ")";
    }
}
