package io.intentstream.trainer.evaluation;

import io.intentstream.encoder.SentenceEncoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Retrieval quality of cosine similarity, as sentence-transformers' {@code
 * InformationRetrievalEvaluator}: every query ranks the whole corpus by cosine similarity, and the
 * top hits are scored against the query's relevant documents.
 *
 * <p>Metrics (defaults as in sentence-transformers): {@code cosine_accuracy@k} (a relevant document
 * among the top k) and {@code cosine_precision@k}, {@code cosine_recall@k} for k = 1, 3, 5, 10;
 * {@code cosine_mrr@10}; {@code cosine_ndcg@10} (binary relevance, ideal DCG over all relevant
 * documents); {@code cosine_map@100} (average precision over the top 100, divided by min(100,
 * relevant documents)). All are means over the queries that have at least one relevant document;
 * other queries are left out. Primary metric: {@code cosine_ndcg@10}. Documents with equal scores
 * rank in corpus order.
 */
public final class InformationRetrievalEvaluator implements SentenceEvaluator {

    private static final int[] ACCURACY_AT = {1, 3, 5, 10};
    private static final int[] PRECISION_RECALL_AT = {1, 3, 5, 10};
    private static final int MRR_AT = 10;
    private static final int NDCG_AT = 10;
    private static final int MAP_AT = 100;

    private final String name;
    private final List<String> queryIds = new ArrayList<>();
    private final List<String> queries = new ArrayList<>();
    private final List<String> corpusIds;
    private final List<String> corpus;
    private final Map<String, Set<String>> relevant;

    /**
     * @param queries query id → text, in evaluation order
     * @param corpus document id → text
     * @param relevant query id → ids of its relevant documents
     */
    public InformationRetrievalEvaluator(
            String name,
            Map<String, String> queries,
            Map<String, String> corpus,
            Map<String, Set<String>> relevant) {
        this.name = name;
        queries.forEach(
                (id, text) -> {
                    Set<String> r = relevant.get(id);
                    if (r != null && !r.isEmpty()) {
                        queryIds.add(id);
                        this.queries.add(text);
                    }
                });
        this.corpusIds = List.copyOf(corpus.keySet());
        this.corpus = List.copyOf(corpus.values());
        this.relevant = Map.copyOf(relevant);
        if (this.queries.isEmpty() || this.corpus.isEmpty()) {
            throw new IllegalArgumentException(
                    "need a non-empty corpus and at least one query with a relevant document");
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** Number of queries evaluated (those with at least one relevant document). */
    public int queryCount() {
        return queries.size();
    }

    public int corpusSize() {
        return corpus.size();
    }

    @Override
    public EvaluationResult evaluate(SentenceEncoder encoder) {
        float[][] q = normalized(encoder.encode(queries));
        float[][] c = normalized(encoder.encode(corpus));
        int maxK = Math.min(MAP_AT, c.length);
        int[][] top = new int[q.length][];
        IntStream.range(0, q.length).parallel().forEach(i -> top[i] = topK(q[i], c, maxK));
        List<List<String>> ranked = new ArrayList<>(q.length);
        for (int[] hits : top) {
            List<String> ids = new ArrayList<>(hits.length);
            for (int h : hits) {
                ids.add(corpusIds.get(h));
            }
            ranked.add(ids);
        }
        return new EvaluationResult("cosine_ndcg@" + NDCG_AT, metrics("cosine_", ranked));
    }

    /**
     * The metrics of ranked document ids, one list per evaluated query (in query order), best
     * first, each name prefixed.
     */
    Map<String, Double> metrics(String prefix, List<List<String>> ranked) {
        int n = queryIds.size();
        Map<Integer, Double> accuracy = new LinkedHashMap<>();
        Map<Integer, Double> precision = new LinkedHashMap<>();
        Map<Integer, Double> recall = new LinkedHashMap<>();
        double mrr = 0;
        double ndcg = 0;
        double map = 0;
        for (int qi = 0; qi < n; qi++) {
            Set<String> rel = relevant.get(queryIds.get(qi));
            List<String> hits = ranked.get(qi);
            for (int k : ACCURACY_AT) {
                accuracy.merge(k, relevantIn(hits, rel, k) > 0 ? 1.0 : 0.0, Double::sum);
            }
            for (int k : PRECISION_RECALL_AT) {
                int found = relevantIn(hits, rel, k);
                precision.merge(k, (double) found / k, Double::sum);
                recall.merge(k, (double) found / rel.size(), Double::sum);
            }
            for (int r = 0; r < Math.min(MRR_AT, hits.size()); r++) {
                if (rel.contains(hits.get(r))) {
                    mrr += 1.0 / (r + 1);
                    break;
                }
            }
            double dcg = 0;
            for (int r = 0; r < Math.min(NDCG_AT, hits.size()); r++) {
                dcg += rel.contains(hits.get(r)) ? 1 / log2(r + 2) : 0;
            }
            double idealDcg = 0;
            for (int r = 0; r < Math.min(NDCG_AT, rel.size()); r++) {
                idealDcg += 1 / log2(r + 2);
            }
            ndcg += dcg / idealDcg;
            int correct = 0;
            double sumPrecisions = 0;
            for (int r = 0; r < Math.min(MAP_AT, hits.size()); r++) {
                if (rel.contains(hits.get(r))) {
                    correct++;
                    sumPrecisions += (double) correct / (r + 1);
                }
            }
            map += sumPrecisions / Math.min(MAP_AT, rel.size());
        }
        Map<String, Double> m = new HashMap<>();
        accuracy.forEach((k, v) -> m.put(prefix + "accuracy@" + k, v / n));
        precision.forEach((k, v) -> m.put(prefix + "precision@" + k, v / n));
        recall.forEach((k, v) -> m.put(prefix + "recall@" + k, v / n));
        m.put(prefix + "mrr@" + MRR_AT, mrr / n);
        m.put(prefix + "ndcg@" + NDCG_AT, ndcg / n);
        m.put(prefix + "map@" + MAP_AT, map / n);
        return m;
    }

    private static int relevantIn(List<String> hits, Set<String> rel, int k) {
        int found = 0;
        for (int r = 0; r < Math.min(k, hits.size()); r++) {
            found += rel.contains(hits.get(r)) ? 1 : 0;
        }
        return found;
    }

    private static double log2(int x) {
        return Math.log(x) / Math.log(2);
    }

    /** Indices of the k rows most similar to the query, best first; ties in row order. */
    static int[] topK(float[] query, float[][] rows, int k) {
        // A bounded min-heap kept as sorted arrays: k is small (≤ 100).
        int[] idx = new int[k];
        double[] score = new double[k];
        int size = 0;
        for (int j = 0; j < rows.length; j++) {
            double s = Vectors.dot(query, rows[j]);
            if (size == k && s <= score[size - 1]) {
                continue;
            }
            int pos = size == k ? k - 1 : size++;
            while (pos > 0 && score[pos - 1] < s) {
                score[pos] = score[pos - 1];
                idx[pos] = idx[pos - 1];
                pos--;
            }
            score[pos] = s;
            idx[pos] = j;
        }
        return java.util.Arrays.copyOf(idx, size);
    }

    private static float[][] normalized(float[][] v) {
        float[][] out = new float[v.length][];
        for (int i = 0; i < v.length; i++) {
            out[i] = Vectors.normalized(v[i]);
        }
        return out;
    }
}
