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

    private IntentIndex(int dimension, List<IntentVectors> intents, float[] matrix, int[] rowIntent) {
        this.dimension = dimension;
        this.intents = intents;
        this.matrix = matrix;
        this.rowIntent = rowIntent;
    }

    /** An index over {@code intents}; intents without vectors are left out. */
    public static IntentIndex of(int dimension, List<IntentVectors> intents) {
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
        return new IntentIndex(dimension, List.copyOf(kept), matrix, rowIntent);
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
        if (query.length != dimension) {
            throw new IllegalArgumentException("query vector of length " + query.length + ", expected " + dimension);
        }
        float[] best = new float[intents.size()];
        Arrays.fill(best, Float.NEGATIVE_INFINITY);
        for (int row = 0; row < rowIntent.length; row++) {
            int offset = row * dimension;
            float dot = 0f;
            for (int i = 0; i < dimension; i++) {
                dot += matrix[offset + i] * query[i];
            }
            int intent = rowIntent[row];
            if (dot > best[intent]) {
                best[intent] = dot;
            }
        }
        List<ScoredIntent> scored = new ArrayList<>(intents.size());
        for (int i = 0; i < intents.size(); i++) {
            IntentVectors intent = intents.get(i);
            scored.add(new ScoredIntent(intent.intentId(), intent.route(), best[i], intent.threshold()));
        }
        scored.sort(Comparator.comparingDouble((ScoredIntent s) -> -s.score()).thenComparing(ScoredIntent::intentId));
        return List.copyOf(scored.subList(0, Math.min(k, scored.size())));
    }
}
