package io.intentstream.streams.processor;

import io.intentstream.avro.IntentEmbedding;
import io.intentstream.streams.model.IntentIndexCache;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global intent-embeddings store equal to its topic: puts values, deletes on tombstones,
 * and tells the index cache. It never computes anything, because a global store's restore writes
 * the topic's records without calling this processor.
 */
public final class IntentEmbeddingStoreProcessor
        implements Processor<String, IntentEmbedding, Void, Void> {

    private final String storeName;
    private final IntentIndexCache indexCache;
    private KeyValueStore<String, IntentEmbedding> store;

    public IntentEmbeddingStoreProcessor(String storeName, IntentIndexCache indexCache) {
        this.storeName = storeName;
        this.indexCache = indexCache;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, IntentEmbedding> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
        indexCache.invalidate();
    }
}
