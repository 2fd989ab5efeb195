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
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
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
 * and its example utterances are embedded with the model in use and with the staged model, if one
 * is staged for a swap; the vectors go to the intent-embeddings topic keyed {@code
 * modelVersion/intentId}. A tombstone, or an inactive intent, sends tombstones for its vectors of
 * every version. A wall-clock check embeds, a few intents at a time, every intent that lacks
 * vectors of the current or staged version, and drops vectors of versions no longer served, so a
 * new model re-embeds the catalog.
 *
 * <p>The versions store records which versions each intent is embedded with, keyed {@code
 * intentId NUL version}.
 */
public final class CatalogEmbeddingProcessor implements Processor<String, IntentDefinition, Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(CatalogEmbeddingProcessor.class);
    private static final char SEP = '\u0000';

    /** Store and sink names, and settings. */
    public record Settings(
            String catalogStore, String versionStore, String embeddingsSink, String deadLetterSink, Duration checkInterval, int maxIntentsPerCheck) {}

    private final Settings settings;
    private final ModelRegistry models;
    private final ServiceMetrics metrics;
    private final AvroSerde<IntentDefinition> definitionSerde = AvroSerde.of(IntentDefinition.class);
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, IntentDefinition> catalog;
    private KeyValueStore<String, String> embeddedVersions;
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
        this.embeddedVersions = context.getStateStore(settings.versionStore());
        this.deadLetters = new DeadLetterForwarder(context, settings.deadLetterSink(), metrics);
        context.schedule(settings.checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::embedMissing);
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
            for (String version : versionsOf(intentId)) {
                forward(new IntentEmbeddingKey(version, intentId).toString(), null, record.timestamp());
                embeddedVersions.delete(intentId + SEP + version);
            }
            log.info("Intent {} deleted (catalog {})", intentId, coordinates());
            return;
        }
        if (definition.getExamples().stream().allMatch(String::isBlank)) {
            deadLetters.send(record, definitionSerde.serialize(null, definition), DeadLetters.REASON_INVALID_INTENT,
                    "intent " + intentId + " has no example utterances", models.currentVersion());
            return;
        }
        catalog.put(intentId, definition);
        try (ServingModel.Lease current = models.acquire();
                ServingModel.Lease staged = models.acquireStaged()) {
            embed(intentId, definition, current, record.timestamp());
            if (staged != null && !staged.version().equals(current.version())) {
                embed(intentId, definition, staged, record.timestamp());
            }
            dropRetired(intentId, current.version(), staged == null ? null : staged.version(), record.timestamp());
        }
    }

    private void embed(String intentId, IntentDefinition definition, ServingModel.Lease lease, long timestamp) {
        String version = lease.version();
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
                            .setThreshold(definition.getThreshold())
                            .setDimension(lease.model().dimension())
                            .setVectors(EmbeddingVectors.pack(vectors, lease.model().dimension()))
                            .build();
            forward(key, embedding, timestamp);
            metrics.intentEmbedded();
        }
        embeddedVersions.put(intentId + SEP + version, version);
        log.debug("Intent {} embedded with model {} ({} examples)", intentId, version, definition.getExamples().size());
    }

    /** Vectors of versions that are neither current nor staged are never matched against again. */
    private void dropRetired(String intentId, String current, String staged, long timestamp) {
        for (String version : versionsOf(intentId)) {
            if (!version.equals(current) && !version.equals(staged)) {
                forward(new IntentEmbeddingKey(version, intentId).toString(), null, timestamp);
                embeddedVersions.delete(intentId + SEP + version);
            }
        }
    }

    private List<String> versionsOf(String intentId) {
        List<String> versions = new ArrayList<>();
        try (KeyValueIterator<String, String> it = embeddedVersions.prefixScan(intentId + SEP, new StringSerializer())) {
            it.forEachRemaining(kv -> versions.add(kv.value));
        }
        return versions;
    }

    private void embedMissing(long now) {
        int done = 0;
        try (ServingModel.Lease current = models.acquire();
                ServingModel.Lease staged = models.acquireStaged();
                KeyValueIterator<String, IntentDefinition> it = catalog.all()) {
            while (it.hasNext() && done < settings.maxIntentsPerCheck()) {
                KeyValue<String, IntentDefinition> entry = it.next();
                List<String> versions = versionsOf(entry.key);
                boolean changed = false;
                if (!versions.contains(current.version())) {
                    embed(entry.key, entry.value, current, now);
                    changed = true;
                }
                if (staged != null && !versions.contains(staged.version())) {
                    embed(entry.key, entry.value, staged, now);
                    changed = true;
                }
                boolean retired = versions.stream().anyMatch(v -> !v.equals(current.version()) && (staged == null || !v.equals(staged.version())));
                if (changed || retired) {
                    dropRetired(entry.key, current.version(), staged == null ? null : staged.version(), now);
                    done++;
                }
            }
            if (done > 0) {
                log.info("Embedded {} intents for model {}{} (task {})", done, current.version(),
                        staged == null ? "" : " and staged model " + staged.version(), context.taskId());
            }
        }
    }

    private void forward(String key, IntentEmbedding value, long timestamp) {
        context.forward(new Record<Object, Object>(key, value, timestamp), settings.embeddingsSink());
    }

    private String coordinates() {
        return context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("-");
    }
}
