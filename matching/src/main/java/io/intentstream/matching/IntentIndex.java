package io.intentstream.matching;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An immutable in-memory matrix of every example vector of every intent of one model version, for
 * nearest-neighbour search: an intent's score is the mean of the query's best cosines with its
 * examples ({@link IntentScore}). Rows and queries are scaled to unit length here, so that a score
 * is a cosine whether or not the model normalises its output. Thread-safe.
 */
public final class IntentIndex {

    private final int dimension;
    private final List<IntentVectors> intents;
    // (rows, dimension) flattened row-major; intent i owns rows [firstRow[i], firstRow[i + 1])
    private final float[] matrix;
    private final int[] firstRow;

    private final SimilarityKernel kernel;

    private IntentIndex(
            int dimension,
            List<IntentVectors> intents,
            float[] matrix,
            int[] firstRow,
            SimilarityKernel kernel) {
        this.kernel = kernel;
        this.dimension = dimension;
        this.intents = intents;
        this.matrix = matrix;
        this.firstRow = firstRow;
    }

    /**
     * An index over {@code intents} scored by {@link SimilarityKernel#standard()}, as every service
     * and evaluator scores; intents without vectors are left out.
     */
    public static IntentIndex of(int dimension, List<IntentVectors> intents) {
        return of(dimension, intents, SimilarityKernel.standard());
    }

    /**
     * An index over {@code intents} scored by {@code kernel}; intents without vectors are left out.
     */
    public static IntentIndex of(
            int dimension, List<IntentVectors> intents, SimilarityKernel kernel) {
        List<IntentVectors> kept = new ArrayList<>();
        int rows = 0;
        for (IntentVectors intent : intents) {
            if (intent.vectors().length > 0) {
                kept.add(intent);
                rows += intent.vectors().length;
            }
        }
        float[] matrix = new float[rows * dimension];
        int[] firstRow = new int[kept.size() + 1];
        int row = 0;
        for (int i = 0; i < kept.size(); i++) {
            firstRow[i] = row;
            for (float[] v : kept.get(i).vectors()) {
                if (v.length != dimension) {
                    throw new IllegalArgumentException(
                            "intent "
                                    + kept.get(i).intentId()
                                    + " has a vector of length "
                                    + v.length
                                    + ", expected "
                                    + dimension);
                }
                UnitVectors.copyNormalized(v, matrix, row++ * dimension);
            }
        }
        firstRow[kept.size()] = rows;
        return new IntentIndex(dimension, List.copyOf(kept), matrix, firstRow, kernel);
    }

    public static IntentIndex empty(int dimension) {
        return of(dimension, List.of(), SimilarityKernel.JAVA);
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
        return firstRow[intents.size()];
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
     * @param query (dimension)
     * @param neighbours how many of an intent's closest examples its score averages
     */
    public List<ScoredIntent> topK(float[] query, int k, int neighbours) {
        return topK(new float[][] {query}, k, neighbours).get(0);
    }

    /**
     * {@link #topK(float[], int, int)} for a batch of queries at once: each example vector is read
     * once for the whole batch, which is several times faster than one query at a time on a large
     * catalog.
     *
     * @param queries (batch, dimension)
     * @return per query, the k best intents
     */
    public List<List<ScoredIntent>> topK(float[][] queries, int k, int neighbours) {
        for (float[] q : queries) {
            if (q.length != dimension) {
                throw new IllegalArgumentException(
                        "query vector of length " + q.length + ", expected " + dimension);
            }
        }
        int batch = queries.length;
        float[][] units = new float[batch][];
        for (int q = 0; q < batch; q++) {
            units[q] = UnitVectors.normalized(queries[q]);
        }
        float[][] scores =
                rows() == 0 ? new float[batch][0] : kernel.scores(matrix, rows(), dimension, units);
        float[][] best = new float[batch][intents.size()]; // (batch, intents)
        for (int q = 0; q < batch; q++) {
            for (int i = 0; i < intents.size(); i++) {
                best[q][i] = IntentScore.of(scores[q], firstRow[i], firstRow[i + 1], neighbours);
            }
        }
        List<List<ScoredIntent>> out = new ArrayList<>(batch);
        for (int q = 0; q < batch; q++) {
            List<ScoredIntent> scored = new ArrayList<>(intents.size());
            for (int i = 0; i < intents.size(); i++) {
                IntentVectors intent = intents.get(i);
                scored.add(
                        new ScoredIntent(
                                intent.intentId(), intent.route(), best[q][i], intent.threshold()));
            }
            scored.sort(
                    Comparator.comparingDouble((ScoredIntent s) -> -s.score())
                            .thenComparing(ScoredIntent::intentId));
            out.add(List.copyOf(scored.subList(0, Math.min(k, scored.size()))));
        }
        return out;
    }
}
