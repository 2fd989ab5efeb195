package io.intentstream.trainer.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InformationRetrievalEvaluatorTest {

    private final KeywordEncoder encoder = new KeywordEncoder("card", "refund", "password");

    private static Map<String, String> ordered(String... idText) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < idText.length; i += 2) {
            m.put(idText[i], idText[i + 1]);
        }
        return m;
    }

    @Test
    void shouldMatchHandComputedMetricsWhenRelevantDocumentsRankSecond() {
        Map<String, String> corpus =
                ordered("d1", "card", "d2", "card refund", "d3", "refund", "d4", "password");
        // q3 has no relevant document and is left out, as sentence-transformers does.
        Map<String, String> queries =
                ordered("q1", "card", "q2", "refund password", "q3", "password");
        Map<String, Set<String>> relevant = Map.of("q1", Set.of("d2", "d3"), "q2", Set.of("d4"));
        var evaluator = new InformationRetrievalEvaluator("t", queries, corpus, relevant);
        var r = evaluator.evaluate(encoder);
        assertEquals(2, evaluator.queryCount());
        // q1 ranks d1 (1), d2 (0.7071), d3 (0), d4 (0): relevant at ranks 2 and 3.
        // q2 ranks d3 (0.7071), d4 (0.7071, tie in corpus order), d2 (0.5), d1 (0): relevant at
        // rank 2.
        assertEquals(0.0, r.get("cosine_accuracy@1"), 1e-12);
        assertEquals(1.0, r.get("cosine_accuracy@3"), 1e-12);
        assertEquals((2.0 / 3 + 1.0 / 3) / 2, r.get("cosine_precision@3"), 1e-12);
        assertEquals((2.0 / 5 + 1.0 / 5) / 2, r.get("cosine_precision@5"), 1e-12);
        assertEquals(0.0, r.get("cosine_recall@1"), 1e-12);
        assertEquals(1.0, r.get("cosine_recall@3"), 1e-12);
        assertEquals(0.5, r.get("cosine_mrr@10"), 1e-12);
        // NDCG@10: q1 (1/log2 3 + 1/log2 4) / (1 + 1/log2 3) = 1.13093/1.63093 = 0.69343; q2 1/log2
        // 3 = 0.63093.
        assertEquals((0.693426 + 0.630930) / 2, r.get("cosine_ndcg@10"), 1e-6);
        // MAP@100: q1 (1/2 + 2/3) / min(100, 2) = 7/12; q2 1/2.
        assertEquals((7.0 / 12 + 0.5) / 2, r.get("cosine_map@100"), 1e-12);
        assertEquals("cosine_ndcg@10", r.primaryMetric());
    }

    @Test
    void shouldRankTiesInRowOrderWhenTakingTheTopK() {
        float[] q = {1, 0};
        float[][] rows = {{0, 1}, {1, 0}, {0.6f, 0.8f}, {1, 0}, {0.6f, 0.8f}};
        assertArrayEquals(new int[] {1, 3, 2}, InformationRetrievalEvaluator.topK(q, rows, 3));
        assertArrayEquals(
                new int[] {1, 3, 2, 4, 0}, InformationRetrievalEvaluator.topK(q, rows, 10));
    }
}
