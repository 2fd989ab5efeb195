package io.intentstream.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DjlSimilarityKernelTest {

    @Test
    void shouldEqualJavaKernelWhenCatalogIsLargeEnoughForTheEngine() {
        Random random = new Random(7);
        int rows = 3000;
        int dimension = 64;
        float[] matrix = new float[rows * dimension];
        for (int i = 0; i < matrix.length; i++) {
            matrix[i] = (float) random.nextGaussian();
        }
        float[][] queries = new float[16][dimension];
        for (float[] q : queries) {
            for (int i = 0; i < dimension; i++) {
                q[i] = (float) random.nextGaussian();
            }
        }
        assertEquals(
                true,
                (long) rows * dimension * queries.length >= DjlSimilarityKernel.MIN_WORK,
                "exercises the engine path");

        float[][] expected = SimilarityKernel.JAVA.scores(matrix, rows, dimension, queries);
        float[][] actual = new DjlSimilarityKernel().scores(matrix, rows, dimension, queries);

        for (int q = 0; q < queries.length; q++) {
            for (int r = 0; r < rows; r++) {
                assertEquals(expected[q][r], actual[q][r], 1e-3, "query " + q + " row " + r);
            }
        }
    }
}
