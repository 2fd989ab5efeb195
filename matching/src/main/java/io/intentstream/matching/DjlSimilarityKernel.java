package io.intentstream.matching;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Scores a batch of queries against a large catalog with one matrix product on the engine's BLAS
 * (PyTorch on the CPU), many times faster than plain Java for thousands of example vectors. Small
 * products stay in Java, where copying into native memory would cost more than it saves.
 */
public final class DjlSimilarityKernel implements SimilarityKernel {

    /** Stateless, so one instance serves every index. */
    static final DjlSimilarityKernel INSTANCE = new DjlSimilarityKernel();

    /** Below this many multiply-adds per batch, plain Java is used. */
    static final long MIN_WORK = 2_000_000L;

    @Override
    public float[][] scores(float[] matrix, int rows, int dimension, float[][] queries) {
        int batch = queries.length;
        if ((long) rows * dimension * batch < MIN_WORK) {
            return SimilarityKernel.JAVA.scores(matrix, rows, dimension, queries);
        }
        float[] flat = new float[batch * dimension];
        for (int q = 0; q < batch; q++) {
            System.arraycopy(queries[q], 0, flat, q * dimension, dimension);
        }
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray examples = manager.create(matrix, new Shape(rows, dimension)); // (rows, dim)
            NDArray query = manager.create(flat, new Shape(batch, dimension)); // (batch, dim)
            float[] products = query.matMul(examples.transpose()).toFloatArray(); // (batch, rows)
            float[][] out = new float[batch][rows];
            for (int q = 0; q < batch; q++) {
                System.arraycopy(products, q * rows, out[q], 0, rows);
            }
            return out;
        }
    }
}
