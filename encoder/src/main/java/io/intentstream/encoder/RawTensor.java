package io.intentstream.encoder;

import java.util.Arrays;

/**
 * A float32 tensor held in Java memory, row-major, named as in Hugging Face checkpoints.
 *
 * @param name Hugging Face parameter name, e.g. {@code encoder.layer.0.attention.self.query.weight}
 * @param shape dimensions, outermost first
 * @param data {@code product(shape)} values
 */
public record RawTensor(String name, long[] shape, float[] data) {

    public RawTensor {
        long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (n != data.length) {
            throw new IllegalArgumentException(
                    name
                            + ": shape "
                            + Arrays.toString(shape)
                            + " needs "
                            + n
                            + " values, got "
                            + data.length);
        }
    }

    /**
     * This 2-D tensor transposed, e.g. an ONNX MatMul weight (in, out) to a PyTorch Linear weight
     * (out, in).
     */
    public RawTensor transposed(String newName) {
        if (shape.length != 2) {
            throw new IllegalStateException(name + " is not 2-D: " + Arrays.toString(shape));
        }
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        float[] out = new float[data.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = data[r * cols + c];
            }
        }
        return new RawTensor(newName, new long[] {cols, rows}, out);
    }
}
