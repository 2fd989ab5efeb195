package io.intentstream.matching;

/**
 * Computes dot products between a batch of queries and every example vector of an index. The
 * plain-Java {@link #JAVA} kernel is the reference; a faster one (e.g. a BLAS matrix product) can
 * be plugged in for large catalogs, as long as it returns the same numbers within float rounding.
 */
@FunctionalInterface
public interface SimilarityKernel {

    /**
     * @param matrix (rows, dimension) row-major example vectors
     * @param queries (batch, dimension)
     * @return (batch, rows) dot products
     */
    float[][] scores(float[] matrix, int rows, int dimension, float[][] queries);

    /**
     * The kernel every service and evaluator scores with: a matrix product on the engine for large
     * catalogs, plain Java for small ones.
     */
    static SimilarityKernel standard() {
        return DjlSimilarityKernel.INSTANCE;
    }

    /** Plain Java, one example row at a time against the whole batch. */
    SimilarityKernel JAVA =
            (matrix, rows, dimension, queries) -> {
                float[][] out = new float[queries.length][rows];
                for (int row = 0; row < rows; row++) {
                    int offset = row * dimension;
                    for (int q = 0; q < queries.length; q++) {
                        out[q][row] = dot(matrix, offset, queries[q], dimension);
                    }
                }
                return out;
            };

    // Four partial sums let the CPU overlap the multiply-adds (the JIT does not vectorise float
    // reductions).
    private static float dot(float[] matrix, int offset, float[] query, int dimension) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int i = 0;
        for (; i + 3 < dimension; i += 4) {
            s0 += matrix[offset + i] * query[i];
            s1 += matrix[offset + i + 1] * query[i + 1];
            s2 += matrix[offset + i + 2] * query[i + 2];
            s3 += matrix[offset + i + 3] * query[i + 3];
        }
        for (; i < dimension; i++) {
            s0 += matrix[offset + i] * query[i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
