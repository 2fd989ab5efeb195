package io.intentstream.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LatencyBreakdownTest {

    @Test
    void stagesAddUpToTheWholeLatency() {
        LatencyBreakdown breakdown = new LatencyBreakdown();
        // sent at 0, taken by the service at 5, embedded from 12 to 20, made at 20, read at 30
        breakdown.add(1_000, 1_020, 1_030, 7_000, 8_000);
        assertArrayEquals(new double[] {5, 7, 8, 10}, breakdown.percentileMillis(50), 1e-9);
        assertEquals(20, breakdown.toMatchMadeMillis(50), 1e-9);
        assertEquals(10, breakdown.madeToReadMillis(50), 1e-9);
    }

    @Test
    void serviceStagesNeverExceedTheTimeToTheMatch() {
        LatencyBreakdown breakdown = new LatencyBreakdown();
        // Millisecond timestamps round: 3 ms measured in the service within a 2 ms span.
        breakdown.add(0, 2, 4, 1_000, 2_000);
        assertArrayEquals(new double[] {0, 0, 2, 2}, breakdown.percentileMillis(50), 1e-9);
    }

    @Test
    void slowestQueriesShowTheStageThatStalled() {
        LatencyBreakdown breakdown = new LatencyBreakdown();
        for (int i = 0; i < 99; i++) {
            breakdown.add(0, 10, 15, 2_000, 5_000);
        }
        breakdown.add(0, 110, 115, 2_000, 5_000); // 100 ms before the service took it
        double[] slowest = breakdown.slowestMeanMillis(0.01);
        assertEquals(103, slowest[0], 1e-9);
        assertEquals(2, slowest[1], 1e-9);
        assertEquals(5, slowest[2], 1e-9);
        assertEquals(5, slowest[3], 1e-9);
        assertEquals(2, breakdown.describe().size());
    }
}
