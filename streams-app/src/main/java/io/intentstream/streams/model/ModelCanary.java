package io.intentstream.streams.model;

import io.intentstream.encoder.SentenceEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks a newly loaded model before it serves: the vector length the service expects, unit-norm
 * finite vectors, and known sentences that any sane sentence encoder ranks the same way (a
 * paraphrase is closer than an unrelated sentence). A model that fails is never swapped in.
 */
public final class ModelCanary {

    /** An anchor, its paraphrase and an unrelated sentence. */
    record Triple(String anchor, String paraphrase, String unrelated) {}

    static final List<Triple> KNOWN =
            List.of(
                    new Triple(
                            "How do I reset my password?",
                            "I forgot my password and cannot log in",
                            "The invoice total looks wrong"),
                    new Triple(
                            "My card payment was declined",
                            "Why was my card refused at the shop?",
                            "How do I change my email address?"),
                    new Triple(
                            "The app crashes when I open it",
                            "The application keeps closing on start-up",
                            "I want to cancel my subscription"));

    private ModelCanary() {}

    /**
     * @param expectedDimension the vector length of the model in service
     * @throws IllegalStateException naming the first check that failed
     */
    public static void check(SentenceEncoder encoder, int expectedDimension) {
        if (encoder.dimension() != expectedDimension) {
            throw new IllegalStateException(
                    "dimension "
                            + encoder.dimension()
                            + ", the service expects "
                            + expectedDimension);
        }
        List<String> texts = new ArrayList<>();
        KNOWN.forEach(t -> texts.addAll(List.of(t.anchor(), t.paraphrase(), t.unrelated())));
        float[][] v = encoder.encode(texts); // (9, dimension)
        for (int i = 0; i < v.length; i++) {
            if (v[i].length != expectedDimension) {
                throw new IllegalStateException(
                        "a vector of length " + v[i].length + ", expected " + expectedDimension);
            }
            double norm = Math.sqrt(dot(v[i], v[i]));
            if (!Double.isFinite(norm) || Math.abs(norm - 1) > 1e-3) {
                throw new IllegalStateException(
                        String.format(
                                Locale.ROOT, "a vector of norm %.5f, expected unit vectors", norm));
            }
        }
        for (int t = 0; t < KNOWN.size(); t++) {
            float[] a = v[3 * t];
            double close = dot(a, v[3 * t + 1]);
            double far = dot(a, v[3 * t + 2]);
            if (!(close > far)) {
                throw new IllegalStateException(
                        String.format(
                                Locale.ROOT,
                                "known sentences out of order: paraphrase %.3f is not closer than"
                                        + " unrelated %.3f (canary %d)",
                                close,
                                far,
                                t));
            }
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
