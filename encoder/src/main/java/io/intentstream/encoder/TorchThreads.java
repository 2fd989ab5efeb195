package io.intentstream.encoder;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's intra-op thread count: how many cores one forward pass may use. It is process-wide, and
 * each thread takes it up at its first parallel operation, so set it before the threads that will
 * encode have encoded anything.
 *
 * <p>One thread per call suits a service that encodes on several threads at once (one or more per
 * core): small batches, the common case at moderate load, parallelise poorly inside a call.
 */
public final class TorchThreads {

    private TorchThreads() {}

    public static int intraOp() {
        Engine.getEngine("PyTorch");
        return JniUtils.getNumThreads();
    }

    public static void setIntraOp(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException(
                    "intra-op threads must be at least 1, got " + threads);
        }
        Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(threads);
    }
}
