package io.intentstream.cli;

/** Agreement of two sets of vectors, row by row. */
record ParityReport(double[] cosines, double maxAbsDelta) {

    static ParityReport compare(float[][] a, float[][] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(a.length + " vs " + b.length + " vectors");
        }
        double[] cos = new double[a.length];
        double maxDelta = 0;
        for (int i = 0; i < a.length; i++) {
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (int d = 0; d < a[i].length; d++) {
                dot += (double) a[i][d] * b[i][d];
                na += (double) a[i][d] * a[i][d];
                nb += (double) b[i][d] * b[i][d];
                maxDelta = Math.max(maxDelta, Math.abs(a[i][d] - b[i][d]));
            }
            cos[i] = dot / Math.sqrt(na * nb);
        }
        return new ParityReport(cos, maxDelta);
    }

    double minCosine() {
        return java.util.Arrays.stream(cosines).min().orElse(Double.NaN);
    }

    double meanCosine() {
        return java.util.Arrays.stream(cosines).average().orElse(Double.NaN);
    }

    long countBelow(double threshold) {
        return java.util.Arrays.stream(cosines).filter(c -> c < threshold).count();
    }
}
