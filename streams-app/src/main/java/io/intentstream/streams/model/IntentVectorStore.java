package io.intentstream.streams.model;

import io.intentstream.avro.IntentEmbedding;
import io.intentstream.matching.IntentEmbeddings;
import io.intentstream.schemas.IntentEmbeddingKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads intents' vectors from the intent-embeddings store, where a large intent's vectors are split
 * over several records ({@link IntentEmbeddings#records}): the parts of one version grouped by
 * intent, one intent's vectors joined, and the keys an intent's vectors occupy.
 */
public final class IntentVectorStore {

    private IntentVectorStore() {}

    /** Every record of {@code version}, grouped by intent in key order, with its key. */
    public static Map<String, List<KeyValue<String, IntentEmbedding>>> byIntent(
            ReadOnlyKeyValueStore<String, IntentEmbedding> store, String version) {
        Map<String, List<KeyValue<String, IntentEmbedding>>> out = new LinkedHashMap<>();
        try (KeyValueIterator<String, IntentEmbedding> it =
                store.prefixScan(IntentEmbeddingKey.prefix(version), new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, IntentEmbedding> kv = it.next();
                if (kv.value == null) {
                    continue;
                }
                String intentId;
                try {
                    intentId = IntentEmbeddingKey.parse(kv.key).intentId();
                } catch (IllegalArgumentException e) {
                    intentId = kv.key; // refused later, under its own key
                }
                out.computeIfAbsent(intentId, k -> new ArrayList<>()).add(kv);
            }
        }
        return out;
    }

    /** All vectors of {@code intentId} under {@code version}, once every part is there. */
    public static Optional<IntentEmbedding> whole(
            ReadOnlyKeyValueStore<String, IntentEmbedding> store, String version, String intentId) {
        IntentEmbeddingKey first = new IntentEmbeddingKey(version, intentId);
        IntentEmbedding head = store.get(first.toString());
        if (head == null || head.getParts() < 1 || head.getParts() > IntentEmbeddings.MAX_PARTS) {
            return Optional.ofNullable(head).filter(h -> h.getParts() == 1);
        }
        List<IntentEmbedding> parts = new ArrayList<>(head.getParts());
        parts.add(head);
        for (int p = 1; p < head.getParts(); p++) {
            IntentEmbedding part = store.get(first.withPart(p).toString());
            if (part == null) {
                return Optional.empty();
            }
            parts.add(part);
        }
        return IntentEmbeddings.assemble(parts);
    }

    /**
     * The keys {@code intentId}'s vectors of {@code version} occupy now, as its first record tells;
     * at least the first record's key.
     */
    public static List<String> keys(
            ReadOnlyKeyValueStore<String, IntentEmbedding> store, String version, String intentId) {
        IntentEmbeddingKey first = new IntentEmbeddingKey(version, intentId);
        IntentEmbedding head = store.get(first.toString());
        int parts =
                head == null
                        ? 1
                        : Math.max(1, Math.min(head.getParts(), IntentEmbeddings.MAX_PARTS));
        List<String> keys = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
            keys.add(first.withPart(p).toString());
        }
        return keys;
    }
}
