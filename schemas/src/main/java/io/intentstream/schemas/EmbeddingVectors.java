package io.intentstream.schemas;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Packs vectors into the {@code vectors} bytes of an {@code IntentEmbedding} and back: rows
 * concatenated, little-endian float32, {@code rows x dimension} values.
 */
public final class EmbeddingVectors {

    private EmbeddingVectors() {}

    /** Packs {@code vectors} (rows, dimension); every row must have length {@code dimension}. */
    public static ByteBuffer pack(float[][] vectors, int dimension) {
        ByteBuffer buffer =
                ByteBuffer.allocate(vectors.length * dimension * Float.BYTES)
                        .order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : vectors) {
            if (row.length != dimension) {
                throw new IllegalArgumentException(
                        "vector of length " + row.length + ", expected " + dimension);
            }
            for (float v : row) {
                buffer.putFloat(v);
            }
        }
        buffer.flip();
        return buffer;
    }

    /** Unpacks (rows, dimension) vectors. */
    public static float[][] unpack(ByteBuffer bytes, int dimension) {
        ByteBuffer in = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int values = in.remaining() / Float.BYTES;
        if (dimension <= 0 || in.remaining() % (Float.BYTES * dimension) != 0) {
            throw new IllegalArgumentException(
                    in.remaining()
                            + " bytes are not a whole number of "
                            + dimension
                            + "-dimensional float32 vectors");
        }
        float[][] rows = new float[values / dimension][dimension];
        for (float[] row : rows) {
            for (int i = 0; i < dimension; i++) {
                row[i] = in.getFloat();
            }
        }
        return rows;
    }
}
