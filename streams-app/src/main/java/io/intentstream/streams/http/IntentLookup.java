package io.intentstream.streams.http;

import io.intentstream.avro.IntentEmbedding;
import io.intentstream.streams.matching.IntentIndex;
import io.intentstream.streams.matching.MatchRule;
import io.intentstream.streams.matching.ScoredIntent;
import io.intentstream.streams.matching.Verdict;
import io.intentstream.streams.model.IntentIndexCache;
import io.intentstream.streams.model.ModelRegistry;
import io.intentstream.streams.model.ServingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Matches texts on request (the chatbot lookup): the same model registry, intent store, index
 * cache and rule as the stream, so a lookup and a streamed query of the same text agree.
 */
public final class IntentLookup {

    /**
     * The result of a lookup.
     *
     * @param modelVersion the version that embedded the text and the intents
     * @param candidates the top-k intents, best first
     * @param verdict matched intent or fallback reason
     */
    public record Result(String modelVersion, List<ScoredIntent> candidates, Verdict verdict) {}

    private final ModelRegistry models;
    private final IntentIndexCache indexCache;
    private final Supplier<ReadOnlyKeyValueStore<String, IntentEmbedding>> store;
    private final MatchRule rule;
    private final int defaultTopK;

    public IntentLookup(
            ModelRegistry models,
            IntentIndexCache indexCache,
            Supplier<ReadOnlyKeyValueStore<String, IntentEmbedding>> store,
            MatchRule rule,
            int defaultTopK) {
        this.models = models;
        this.indexCache = indexCache;
        this.store = store;
        this.rule = rule;
        this.defaultTopK = defaultTopK;
    }

    public Result match(String text) {
        return match(text, defaultTopK);
    }

    /** @param k how many candidates to return (at least 1) */
    public Result match(String text, int k) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("text must not be empty");
        }
        return lookup(List.of(text), k).get(0);
    }

    /**
     * Matches several texts under one model version: one lease, one batched encode, one index.
     *
     * @param k how many candidates to return per text (at least 1)
     * @return one result per text, in the order of {@code texts}
     */
    public List<Result> matchAll(List<String> texts, int k) {
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null || texts.get(i).isBlank()) {
                throw new IllegalArgumentException("text " + i + " must not be empty");
            }
        }
        return texts.isEmpty() ? List.of() : lookup(texts, k);
    }

    private List<Result> lookup(List<String> texts, int k) {
        try (ServingModel.Lease lease = models.acquire()) {
            float[][] vectors = lease.encoder().encode(texts); // (texts, dimension)
            IntentIndex index = indexCache.get(lease.version(), lease.model().dimension(), store.get());
            // At least two candidates, so the rule can weigh the margin to the runner-up.
            List<List<ScoredIntent>> tops = index.topK(vectors, Math.max(k, 2), lease.model().neighbours());
            List<Result> results = new ArrayList<>(tops.size());
            for (List<ScoredIntent> top : tops) {
                Verdict verdict = rule.decide(top);
                results.add(new Result(lease.version(), top.subList(0, Math.min(Math.max(k, 1), top.size())), verdict));
            }
            return results;
        }
    }
}
