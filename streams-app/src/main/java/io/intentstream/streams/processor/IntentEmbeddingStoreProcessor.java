package io.intentstream.streams.processor;

import io.intentstream.avro.IntentEmbedding;
import io.intentstream.matching.IntentEmbeddings;
import io.intentstream.streams.metrics.ServiceMetrics;
import io.intentstream.streams.model.IntentIndexCache;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global intent-embeddings store equal to its topic: puts values, deletes on tombstones,
 * and tells the index cache. It never computes anything, because a global store's restore writes
 * the topic's records without calling this processor. A record that cannot be matched against is
 * counted and logged here as it arrives; the index cache leaves it out however it entered the store
 * (a global processor has no sink to dead-letter it to).
 */
public final class IntentEmbeddingStoreProcessor
        implements Processor<String, IntentEmbedding, Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(IntentEmbeddingStoreProcessor.class);

    private final String storeName;
    private final IntentIndexCache indexCache;
    private final ServiceMetrics metrics;
    private KeyValueStore<String, IntentEmbedding> store;

    public IntentEmbeddingStoreProcessor(
            String storeName, IntentIndexCache indexCache, ServiceMetrics metrics) {
        this.storeName = storeName;
        this.indexCache = indexCache;
        this.metrics = metrics;
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
            Optional<String> problem = IntentEmbeddings.problem(record.key(), record.value());
            if (problem.isPresent()) {
                metrics.invalidIntentVectors();
                log.warn(
                        "Intent vectors {} cannot be matched against: {}; left out of matching",
                        record.key(),
                        problem.get());
            }
            store.put(record.key(), record.value());
        }
        indexCache.invalidate();
    }
}
