package io.intentstream.streams.http;

import io.intentstream.avro.IntentEmbedding;
import io.intentstream.matching.BatchMatcher;
import io.intentstream.matching.IntentIndex;
import io.intentstream.matching.ScoredIntent;
import io.intentstream.matching.Verdict;
import io.intentstream.streams.model.IntentIndexCache;
import io.intentstream.streams.model.ModelRegistry;
import io.intentstream.streams.model.ServingModel;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Matches texts on request (the chatbot lookup): the same model registry, intent store, index cache
 * and rule as the stream, so a lookup and a streamed query of the same text agree.
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
    private final BatchMatcher matcher;

    public IntentLookup(
            ModelRegistry models,
            IntentIndexCache indexCache,
            Supplier<ReadOnlyKeyValueStore<String, IntentEmbedding>> store,
            BatchMatcher matcher) {
        this.models = models;
        this.indexCache = indexCache;
        this.store = store;
        this.matcher = matcher;
    }

    public Result match(String text) {
        return match(text, matcher.topK());
    }

    /**
     * @param k how many candidates to return (at least 1)
     */
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
            IntentIndex index =
                    indexCache.get(lease.version(), lease.model().dimension(), store.get());
            List<BatchMatcher.Match> matches =
                    matcher.match(
                            index,
                            embedded(lease, texts),
                            lease.model().neighbours(),
                            Math.max(k, 1));
            return matches.stream()
                    .map(m -> new Result(lease.version(), m.candidates(), m.verdict()))
                    .toList();
        }
    }

    private float[][] embedded(ServingModel.Lease lease, List<String> texts) {
        float[][] vectors = matcher.embed(lease.encoder(), texts);
        for (int i = 0; i < vectors.length; i++) {
            if (vectors[i] == null) {
                throw new IllegalArgumentException("text " + i + " could not be embedded");
            }
        }
        return vectors;
    }
}
