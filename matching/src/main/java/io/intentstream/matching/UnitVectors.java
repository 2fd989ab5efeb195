package io.intentstream.matching;

/** Scaling vectors to unit length, so that a dot product is a cosine. */
final class UnitVectors {

    private UnitVectors() {}

    /** A unit-length copy of {@code v}; a zero vector stays zero. */
    static float[] normalized(float[] v) {
        float[] out = new float[v.length];
        copyNormalized(v, out, 0);
        return out;
    }

    /** Writes {@code v} scaled to unit length into {@code out} from {@code offset}. */
    static void copyNormalized(float[] v, float[] out, int offset) {
        double squares = 0;
        for (float x : v) {
            squares += (double) x * x;
        }
        double norm = Math.sqrt(squares);
        for (int i = 0; i < v.length; i++) {
            out[offset + i] = norm > 0 ? (float) (v[i] / norm) : 0f;
        }
    }
}
