package io.intentstream.streams.processor;

import io.intentstream.avro.IntentDefinition;
import io.intentstream.avro.IntentEmbedding;
import io.intentstream.schemas.AvroSerde;
import io.intentstream.schemas.DeadLetters;
import io.intentstream.schemas.EmbeddingVectors;
import io.intentstream.schemas.IntentEmbeddingKey;
import io.intentstream.streams.metrics.ServiceMetrics;
import io.intentstream.streams.model.ModelRegistry;
import io.intentstream.streams.model.ServingModel;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the intent catalog into intent vectors. Each definition is kept in a changelogged store
 * and its example utterances are embedded with the model in use; the vectors go to the
 * intent-embeddings topic keyed {@code modelVersion/intentId}. A tombstone, or an inactive intent,
 * sends tombstones for its vectors. A wall-clock check re-embeds, a few intents at a time, every
 * intent whose vectors are not of the model version in use, so a new model re-embeds the catalog.
 */
public final class CatalogEmbeddingProcessor implements Processor<String, IntentDefinition, Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(CatalogEmbeddingProcessor.class);

    /** Store and sink names, and settings. */
    public record Settings(
            String catalogStore, String versionStore, String embeddingsSink, String deadLetterSink, Duration checkInterval, int maxIntentsPerCheck) {}

    private final Settings settings;
    private final ModelRegistry models;
    private final ServiceMetrics metrics;
    private final AvroSerde<IntentDefinition> definitionSerde = AvroSerde.of(IntentDefinition.class);
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, IntentDefinition> catalog;
    private KeyValueStore<String, String> embeddedVersion;
    private DeadLetterForwarder deadLetters;

    public CatalogEmbeddingProcessor(Settings settings, ModelRegistry models, ServiceMetrics metrics) {
        this.settings = settings;
        this.models = models;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.catalog = context.getStateStore(settings.catalogStore());
        this.embeddedVersion = context.getStateStore(settings.versionStore());
        this.deadLetters = new DeadLetterForwarder(context, settings.deadLetterSink(), metrics);
        context.schedule(settings.checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::reembedStale);
    }

    @Override
    public void process(Record<String, IntentDefinition> record) {
        String intentId = record.key();
        IntentDefinition definition = record.value();
        if (intentId == null || intentId.isBlank()) {
            deadLetters.send(record, definitionSerde.serialize(null, definition), DeadLetters.REASON_INVALID_INTENT, "intent without a key", null);
            return;
        }
        if (definition == null) {
            catalog.delete(intentId);
            removeVectors(intentId, record.timestamp());
            embeddedVersion.delete(intentId);
            log.info("Intent {} deleted (catalog {}-{}@{})", intentId, topic(), partition(), offset());
            return;
        }
        if (definition.getExamples().stream().allMatch(String::isBlank)) {
            deadLetters.send(record, definitionSerde.serialize(null, definition), DeadLetters.REASON_INVALID_INTENT,
                    "intent " + intentId + " has no example utterances", models.currentVersion());
            return;
        }
        catalog.put(intentId, definition);
        try (ServingModel.Lease lease = models.acquire()) {
            embed(intentId, definition, lease, record.timestamp());
        }
    }

    private void embed(String intentId, IntentDefinition definition, ServingModel.Lease lease, long timestamp) {
        String version = lease.version();
        // The previous version's vectors stay: other instances may still serve that version until
        // their own swap completes, and a rollback may bring it back.
        String key = new IntentEmbeddingKey(version, intentId).toString();
        if (!definition.getActive()) {
            forward(key, null, timestamp);
        } else {
            List<String> examples = definition.getExamples().stream().filter(e -> !e.isBlank()).toList();
            float[][] vectors = lease.encoder().encode(examples); // (examples, dimension)
            IntentEmbedding embedding =
                    IntentEmbedding.newBuilder()
                            .setModelVersion(version)
                            .setIntentId(intentId)
                            .setRoute(definition.getRoute())
                            .setThreshold(definition.getThreshold() != null
                                    ? definition.getThreshold()
                                    : lease.model().fittedThreshold(intentId))
                            .setDimension(lease.model().dimension())
                            .setVectors(EmbeddingVectors.pack(vectors, lease.model().dimension()))
                            .build();
            forward(key, embedding, timestamp);
            metrics.intentEmbedded();
        }
        embeddedVersion.put(intentId, version);
        log.debug("Intent {} embedded with model {} ({} examples)", intentId, version, definition.getExamples().size());
    }

    private void removeVectors(String intentId, long timestamp) {
        String previous = embeddedVersion.get(intentId);
        String current = models.currentVersion();
        forward(new IntentEmbeddingKey(current, intentId).toString(), null, timestamp);
        if (previous != null && !previous.equals(current)) {
            forward(new IntentEmbeddingKey(previous, intentId).toString(), null, timestamp);
        }
    }

    private void reembedStale(long now) {
        int done = 0;
        try (ServingModel.Lease lease = models.acquire();
                KeyValueIterator<String, IntentDefinition> it = catalog.all()) {
            while (it.hasNext() && done < settings.maxIntentsPerCheck()) {
                KeyValue<String, IntentDefinition> entry = it.next();
                if (!lease.version().equals(embeddedVersion.get(entry.key))) {
                    embed(entry.key, entry.value, lease, now);
                    done++;
                }
            }
            if (done > 0) {
                log.info("Re-embedded {} intents with model {} (task {})", done, lease.version(), context.taskId());
            }
        }
    }

    private void forward(String key, IntentEmbedding value, long timestamp) {
        context.forward(new Record<Object, Object>(key, value, timestamp), settings.embeddingsSink());
    }

    private String topic() {
        return context.recordMetadata().map(m -> m.topic()).orElse("-");
    }

    private int partition() {
        return context.recordMetadata().map(m -> m.partition()).orElse(-1);
    }

    private long offset() {
        return context.recordMetadata().map(m -> m.offset()).orElse(-1L);
    }
}
