package io.intentstream.streams.matching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * An immutable in-memory matrix of every example vector of every intent of one model version, for
 * nearest-neighbour search: an intent's score is the best cosine between the query and any of its
 * examples. Vectors are expected to be unit length, so cosine is a dot product. Thread-safe.
 */
public final class IntentIndex {

    private final int dimension;
    private final List<IntentVectors> intents;
    // (rows, dimension) flattened row-major, and the intent of each row
    private final float[] matrix;
    private final int[] rowIntent;

    private final SimilarityKernel kernel;

    private IntentIndex(int dimension, List<IntentVectors> intents, float[] matrix, int[] rowIntent, SimilarityKernel kernel) {
        this.kernel = kernel;
        this.dimension = dimension;
        this.intents = intents;
        this.matrix = matrix;
        this.rowIntent = rowIntent;
    }

    /** An index over {@code intents} scored in plain Java; intents without vectors are left out. */
    public static IntentIndex of(int dimension, List<IntentVectors> intents) {
        return of(dimension, intents, SimilarityKernel.JAVA);
    }

    /** An index over {@code intents} scored by {@code kernel}; intents without vectors are left out. */
    public static IntentIndex of(int dimension, List<IntentVectors> intents, SimilarityKernel kernel) {
        List<IntentVectors> kept = new ArrayList<>();
        int rows = 0;
        for (IntentVectors intent : intents) {
            if (intent.vectors().length > 0) {
                kept.add(intent);
                rows += intent.vectors().length;
            }
        }
        float[] matrix = new float[rows * dimension];
        int[] rowIntent = new int[rows];
        int row = 0;
        for (int i = 0; i < kept.size(); i++) {
            for (float[] v : kept.get(i).vectors()) {
                if (v.length != dimension) {
                    throw new IllegalArgumentException(
                            "intent " + kept.get(i).intentId() + " has a vector of length " + v.length + ", expected " + dimension);
                }
                System.arraycopy(v, 0, matrix, row * dimension, dimension);
                rowIntent[row++] = i;
            }
        }
        return new IntentIndex(dimension, List.copyOf(kept), matrix, rowIntent, kernel);
    }

    public static IntentIndex empty(int dimension) {
        return of(dimension, List.of());
    }

    public int dimension() {
        return dimension;
    }

    /** Number of intents. */
    public int size() {
        return intents.size();
    }

    /** Number of example vectors. */
    public int rows() {
        return rowIntent.length;
    }

    public boolean isEmpty() {
        return intents.isEmpty();
    }

    public boolean contains(String intentId) {
        return intents.stream().anyMatch(i -> i.intentId().equals(intentId));
    }

    /**
     * The {@code k} intents closest to {@code query}, best first; ties go to the smaller intent id.
     *
     * @param query (dimension), unit length
     */
    public List<ScoredIntent> topK(float[] query, int k) {
        return topK(new float[][] {query}, k).get(0);
    }

    /**
     * {@link #topK(float[], int)} for a batch of queries at once: each example vector is read once
     * for the whole batch, which is several times faster than one query at a time on a large catalog.
     *
     * @param queries (batch, dimension), unit length
     * @return per query, the k best intents
     */
    public List<List<ScoredIntent>> topK(float[][] queries, int k) {
        for (float[] q : queries) {
            if (q.length != dimension) {
                throw new IllegalArgumentException("query vector of length " + q.length + ", expected " + dimension);
            }
        }
        int batch = queries.length;
        float[][] scores = rowIntent.length == 0 ? new float[batch][0] : kernel.scores(matrix, rowIntent.length, dimension, queries);
        float[][] best = new float[batch][intents.size()]; // (batch, intents)
        for (int q = 0; q < batch; q++) {
            float[] b = best[q];
            Arrays.fill(b, Float.NEGATIVE_INFINITY);
            float[] s = scores[q]; // (rows)
            for (int row = 0; row < rowIntent.length; row++) {
                if (s[row] > b[rowIntent[row]]) {
                    b[rowIntent[row]] = s[row];
                }
            }
        }
        List<List<ScoredIntent>> out = new ArrayList<>(batch);
        for (int q = 0; q < batch; q++) {
            List<ScoredIntent> scored = new ArrayList<>(intents.size());
            for (int i = 0; i < intents.size(); i++) {
                IntentVectors intent = intents.get(i);
                scored.add(new ScoredIntent(intent.intentId(), intent.route(), best[q][i], intent.threshold()));
            }
            scored.sort(Comparator.comparingDouble((ScoredIntent s) -> -s.score()).thenComparing(ScoredIntent::intentId));
            out.add(List.copyOf(scored.subList(0, Math.min(k, scored.size()))));
        }
        return out;
    }
}
