package io.intentstream.encoder;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** Where the encoder runs: {@code auto} takes the first GPU that PyTorch sees, else the CPU. */
public enum DeviceChoice {
    AUTO,
    CPU,
    GPU;

    /** Parses {@code auto|cpu|gpu}, case-insensitively. */
    public static DeviceChoice parse(String value) {
        return EnumOption.parse(DeviceChoice.class, "device", value);
    }

    /** The device for an engine that sees {@code gpuCount} GPUs. */
    public Device resolve(int gpuCount) {
        return switch (this) {
            case CPU -> Device.cpu();
            case AUTO -> gpuCount > 0 ? Device.gpu() : Device.cpu();
            case GPU -> {
                if (gpuCount == 0) {
                    throw new IllegalStateException(
                            "device gpu was requested but PyTorch sees no GPU: build with"
                                    + " -Pgpu-cu124 on a CUDA host, or use device auto or cpu");
                }
                yield Device.gpu();
            }
        };
    }

    /** The device on this machine's PyTorch engine. */
    public Device resolve() {
        return resolve(Engine.getEngine("PyTorch").getGpuCount());
    }
}
