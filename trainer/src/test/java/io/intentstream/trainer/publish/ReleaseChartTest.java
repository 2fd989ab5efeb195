package io.intentstream.trainer.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReleaseChartTest {

    @Test
    void shouldDrawOnePointPerValueAndSkipMissingValues() {
        String html =
                ReleaseChart.html(
                        "t",
                        List.of("v2", "v3", "v4"),
                        List.of(
                                new ReleaseChart.Panel(
                                        "accuracy",
                                        Map.of("a", new double[] {0.8, Double.NaN, 0.9}))),
                        List.of("note <1>"));
        assertEquals(2, html.split("<circle").length - 1);
        assertTrue(html.contains("note &lt;1&gt;"));
        assertTrue(html.contains("0.9000"));
    }
}
