package io.intentstream.trainer.evaluation;

/** Small dense-vector helpers on row-major float arrays. */
public final class Vectors {

    private Vectors() {}

    public static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    public static double cosine(float[] a, float[] b) {
        double n = Math.sqrt(dot(a, a) * dot(b, b));
        return n == 0 ? 0 : dot(a, b) / n;
    }

    /** A unit-length copy of {@code v} (a zero vector stays zero). */
    public static float[] normalized(float[] v) {
        double n = Math.sqrt(dot(v, v));
        float[] out = new float[v.length];
        if (n > 0) {
            for (int i = 0; i < v.length; i++) {
                out[i] = (float) (v[i] / n);
            }
        }
        return out;
    }
}
