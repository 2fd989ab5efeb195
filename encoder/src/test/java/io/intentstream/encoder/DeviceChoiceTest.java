package io.intentstream.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class DeviceChoiceTest {

    @Test
    void shouldPickCpuWhenAutoAndNoGpu() {
        assertEquals(Device.cpu(), DeviceChoice.AUTO.resolve(0));
    }

    @Test
    void shouldPickGpuWhenAutoAndAGpuIsVisible() {
        assertEquals(Device.gpu(), DeviceChoice.AUTO.resolve(2));
    }

    @Test
    void shouldFailWithAHintWhenGpuIsRequestedButAbsent() {
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> DeviceChoice.GPU.resolve(0));
        assertTrue(e.getMessage().contains("-Pgpu-cu124"), e.getMessage());
    }

    @Test
    void shouldResolveToCpuOnThisEngineWhenNoGpuIsPresent() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                ai.djl.engine.Engine.getEngine("PyTorch").getGpuCount() == 0,
                "a GPU is visible; this test covers CPU-only hosts");
        assertEquals(Device.cpu(), DeviceChoice.AUTO.resolve());
    }

    @Test
    void shouldParseCaseInsensitivelyAndRejectUnknownNames() {
        assertEquals(DeviceChoice.GPU, DeviceChoice.parse(" GPU "));
        assertThrows(IllegalArgumentException.class, () -> DeviceChoice.parse("tpu"));
    }
}
