package io.intentstream.encoder;

import ai.djl.ndarray.NDArray;

/**
 * Scalar operands for differentiable operations.
 *
 * <p>DJL's {@code x.mul(2f)} wraps the number in a temporary array that borrows a direct ByteBuffer
 * without copying and closes it right after the operation. Autograd keeps that tensor for the
 * backward pass of mul, div and maximum; if a garbage collection frees the buffer before backward
 * (another thread's garbage is enough), backward reads freed memory and gradients turn NaN. A
 * scalar made here belongs to the operand's manager (and the current {@link
 * ai.djl.ndarray.NDScope}), so it lives as long as the step that uses it.
 */
public final class GraphConstant {

    private GraphConstant() {}

    /** {@code value} as a 0-d float32 array owned by {@code like}'s manager. */
    public static NDArray of(NDArray like, float value) {
        return like.getManager().create(value);
    }
}
