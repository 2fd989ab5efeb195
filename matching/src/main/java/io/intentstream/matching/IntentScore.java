package io.intentstream.matching;

/**
 * How a query scores against an intent that has several example vectors: the mean of the {@code
 * neighbours} highest cosines between the query and the intent's examples (all of them when it has
 * fewer). One neighbour is plain nearest-neighbour matching, which suits a catalog of a few
 * utterances per intent; once an intent has many examples (a release's confirmed queries), a few
 * neighbours outvote a single stray example that sits close to another intent's queries. Services
 * and the trainer both score this way, so thresholds and gate decisions are made on the scores that
 * are served.
 */
public final class IntentScore {

    private IntentScore() {}

    /** {@code neighbours}, once checked to be at least 1. */
    public static int requireValid(int neighbours) {
        if (neighbours < 1) {
            throw new IllegalArgumentException("neighbours must be at least 1, got " + neighbours);
        }
        return neighbours;
    }

    /**
     * The score of one intent whose examples' cosines are {@code cosines[from..to)}.
     *
     * @param neighbours at least 1
     * @return negative infinity for an empty range
     */
    public static float of(float[] cosines, int from, int to, int neighbours) {
        if (requireValid(neighbours) == 1) {
            float best = Float.NEGATIVE_INFINITY;
            for (int i = from; i < to; i++) {
                best = Math.max(best, cosines[i]);
            }
            return best;
        }
        // The n best so far, highest first: n is a handful, so insertion beats a heap.
        float[] best = new float[Math.min(neighbours, Math.max(0, to - from))];
        int kept = 0;
        for (int i = from; i < to; i++) {
            float c = cosines[i];
            if (kept == best.length && c <= best[kept - 1]) {
                continue;
            }
            int at = kept < best.length ? kept++ : kept - 1;
            while (at > 0 && best[at - 1] < c) {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = c;
        }
        if (kept == 0) {
            return Float.NEGATIVE_INFINITY;
        }
        double sum = 0;
        for (int i = 0; i < kept; i++) {
            sum += best[i];
        }
        return (float) (sum / kept);
    }
}
