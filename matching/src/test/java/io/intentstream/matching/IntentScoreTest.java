package io.intentstream.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IntentScoreTest {

    @Test
    void shouldTakeBestCosineWhenOneNeighbour() {
        assertEquals(0.9f, IntentScore.of(new float[] {0.1f, 0.9f, 0.4f}, 0, 3, 1));
    }

    @Test
    void shouldAverageBestCosinesWithinRangeWhenSeveralNeighbours() {
        float[] cosines = {0.99f, 0.2f, 0.8f, 0.5f, 0.7f, 0.98f};
        // range [1, 5): 0.2, 0.8, 0.5, 0.7 -> best three 0.8, 0.7, 0.5
        assertEquals((0.8f + 0.7f + 0.5f) / 3, IntentScore.of(cosines, 1, 5, 3), 1e-6);
    }

    @Test
    void shouldAverageAllWhenIntentHasFewerExamplesThanNeighbours() {
        assertEquals(0.5f, IntentScore.of(new float[] {0.4f, 0.6f}, 0, 2, 5), 1e-6);
        assertEquals(Float.NEGATIVE_INFINITY, IntentScore.of(new float[] {0.4f}, 1, 1, 3));
    }

    @Test
    void shouldEqualMeanOfSortedTopWhenScoresAreRandom() {
        Random random = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            float[] cosines = new float[1 + random.nextInt(30)];
            for (int i = 0; i < cosines.length; i++) {
                cosines[i] = random.nextFloat() * 2 - 1;
            }
            int n = 1 + random.nextInt(6);
            float[] sorted = cosines.clone();
            Arrays.sort(sorted);
            double sum = 0;
            int used = Math.min(n, sorted.length);
            for (int i = 0; i < used; i++) {
                sum += sorted[sorted.length - 1 - i];
            }
            assertEquals(sum / used, IntentScore.of(cosines, 0, cosines.length, n), 1e-6);
        }
    }

    @Test
    void shouldRejectFewerThanOneNeighbour() {
        assertThrows(
                IllegalArgumentException.class, () -> IntentScore.of(new float[] {1}, 0, 1, 0));
    }
}
