package io.intentstream.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The default model on the GPU gives the CPU's vectors. Excluded from the default run (tag {@code
 * gpu}); on a CUDA host, build with {@code -Pgpu-cu124} and run {@code mvn -pl encoder -am test
 * -Dexcluded.test.tags= -Dgroups=gpu}.
 */
@Tag("gpu")
class GpuParityTest {

    private static final List<String> TEXTS =
            List.of(
                    "I lost my card yesterday",
                    "how do I reset my password?",
                    "",
                    "Überweisung ins Ausland dauert zu lange");

    @Test
    void shouldGiveTheCpuVectorsWhenRunOnTheGpu() {
        Assumptions.assumeTrue(
                Engine.getEngine("PyTorch").getGpuCount() > 0, "PyTorch sees no GPU on this host");
        assertEquals(Device.gpu(), DeviceChoice.AUTO.resolve());
        float[][] cpu;
        float[][] gpu;
        try (SentenceModel onCpu = DefaultModel.load(Device.cpu());
                DjlSentenceEncoder encoder = new DjlSentenceEncoder(onCpu)) {
            cpu = encoder.encode(TEXTS);
        }
        try (SentenceModel onGpu = DefaultModel.load(Device.gpu());
                DjlSentenceEncoder encoder = new DjlSentenceEncoder(onGpu)) {
            gpu = encoder.encode(TEXTS);
        }
        for (int i = 0; i < TEXTS.size(); i++) {
            double dot = 0;
            for (int d = 0; d < cpu[i].length; d++) {
                dot += cpu[i][d] * gpu[i][d];
            }
            assertTrue(dot >= 0.9999, "text " + i + ": cosine " + dot);
        }
    }
}
