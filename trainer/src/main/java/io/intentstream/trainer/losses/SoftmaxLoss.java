package io.intentstream.trainer.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * sentence-transformers' {@code SoftmaxLoss} (as used on NLI): a linear classifier over (u, v, |u −
 * v|) trained with cross-entropy against class labels 0..numLabels−1. The classifier's weight
 * (numLabels, 3·dim) and bias are this loss's own parameters: trained with the model's, saved
 * beside it, and not part of the sentence encoder.
 */
public final class SoftmaxLoss implements SentenceLoss {

    public static final String FILE_NAME = "softmax_classifier.safetensors";
    static final String WEIGHT = "classifier.weight";
    static final String BIAS = "classifier.bias";

    private final int numLabels;
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();

    /**
     * A classifier initialised as torch.nn.Linear: weight and bias uniform in ±1/√(3·dim).
     *
     * @param manager owns the classifier's arrays (e.g. the model's manager)
     */
    public SoftmaxLoss(NDManager manager, int dimension, int numLabels, long seed) {
        if (numLabels < 2) {
            throw new IllegalArgumentException(
                    "SoftmaxLoss needs at least 2 labels, got " + numLabels);
        }
        this.numLabels = numLabels;
        int in = 3 * dimension;
        double bound = 1 / Math.sqrt(in);
        Random random = new Random(seed);
        float[] w = new float[numLabels * in];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        float[] b = new float[numLabels];
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        set(manager.create(w, new Shape(numLabels, in)), manager.create(b));
    }

    /** A classifier with the given weight (numLabels, 3·dim) and bias (numLabels). */
    public SoftmaxLoss(NDArray weight, NDArray bias) {
        this.numLabels = (int) weight.getShape().get(0);
        set(weight, bias);
    }

    /** Loads a classifier saved by {@link #save(Path)} into {@code manager}. */
    public static SoftmaxLoss load(NDManager manager, Path dir) throws IOException {
        try (InputStream in = Files.newInputStream(dir.resolve(FILE_NAME))) {
            NDList list = NDList.decode(manager, in);
            NDArray w = null;
            NDArray b = null;
            for (NDArray a : list) {
                if (WEIGHT.equals(a.getName())) {
                    w = a;
                } else if (BIAS.equals(a.getName())) {
                    b = a;
                }
            }
            if (w == null || b == null) {
                throw new IOException(dir.resolve(FILE_NAME) + " lacks " + WEIGHT + " or " + BIAS);
            }
            return new SoftmaxLoss(w, b);
        }
    }

    private void set(NDArray weight, NDArray bias) {
        Parameter w = Parameter.builder().setName(WEIGHT).setType(Parameter.Type.WEIGHT).build();
        w.setArray(weight);
        Parameter b = Parameter.builder().setName(BIAS).setType(Parameter.Type.BIAS).build();
        b.setArray(bias);
        parameters.put(WEIGHT, w);
        parameters.put(BIAS, b);
    }

    public int numLabels() {
        return numLabels;
    }

    /** Class scores (n, numLabels) of pairs (u, v). */
    public NDArray logits(NDArray u, NDArray v) {
        NDArray features = NDArrays.concat(new NDList(u, v, u.sub(v).abs()), 1);
        return Linear.linear(
                        features,
                        parameters.get(WEIGHT).getArray(),
                        parameters.get(BIAS).getArray())
                .head();
    }

    @Override
    public NDArray forward(NDList embeddings, NDArray labels) {
        NDArray logits = logits(embeddings.get(0), embeddings.get(1));
        float[] y = labels.toFloatArray();
        float[] oneHot = new float[y.length * numLabels];
        for (int i = 0; i < y.length; i++) {
            int label = Math.round(y[i]);
            if (label < 0 || label >= numLabels || label != y[i]) {
                throw new IllegalArgumentException(
                        "label " + y[i] + " is not a class index in 0.." + (numLabels - 1));
            }
            oneHot[i * numLabels + label] = 1f;
        }
        NDArray target = logits.getManager().create(oneHot, new Shape(y.length, numLabels));
        return Similarity.crossEntropy(logits, target);
    }

    /** Writes the classifier to {@value #FILE_NAME} in {@code dir}. */
    public void save(Path dir) throws IOException {
        NDList list = new NDList();
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            NDArray a = e.getValue().getArray();
            a.setName(e.getKey());
            list.add(a.toType(DataType.FLOAT32, false));
        }
        Files.createDirectories(dir);
        Files.write(dir.resolve(FILE_NAME), list.encode(NDList.Encoding.SAFETENSORS));
    }

    @Override
    public Map<String, Parameter> parameters() {
        return parameters;
    }

    @Override
    public boolean needsLabels() {
        return true;
    }
}
