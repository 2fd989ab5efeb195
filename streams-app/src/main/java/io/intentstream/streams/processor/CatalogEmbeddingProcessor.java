package io.intentstream.streams.processor;

import io.intentstream.avro.IntentDefinition;
import io.intentstream.avro.IntentEmbedding;
import io.intentstream.matching.IntentEmbeddings;
import io.intentstream.schemas.AvroSerde;
import io.intentstream.schemas.DeadLetters;
import io.intentstream.schemas.EmbeddingVectors;
import io.intentstream.schemas.IntentEmbeddingKey;
import io.intentstream.streams.metrics.ServiceMetrics;
import io.intentstream.streams.model.IntentVectorStore;
import io.intentstream.streams.model.ModelRegistry;
import io.intentstream.streams.model.ServingModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the intent catalog into intent vectors. Each definition is kept in a changelogged store and
 * its example utterances are embedded with the model in use and with the staged model, if one is
 * staged for a swap; the vectors go to the intent-embeddings topic keyed {@code
 * modelVersion/intentId}. A tombstone, or an inactive intent, sends tombstones for its vectors of
 * every version. A wall-clock check embeds, a few intents at a time, every intent that lacks
 * vectors of the current or staged version, and drops vectors of versions no longer served, so a
 * new model re-embeds the catalog. The version served just before the current one keeps its
 * vectors: other instances may still serve it until their own swap completes.
 *
 * <p>A release may ship its own vectors (from the trainer), with exemplars: vectors of confirmed
 * queries after the utterances' vectors. The check keeps such vectors when they were made from the
 * current definition, and re-embedding a changed definition carries the exemplars over, because the
 * catalog alone cannot reproduce them.
 *
 * <p>The versions store records which versions each intent is embedded with, keyed {@code intentId
 * NUL version}.
 */
public final class CatalogEmbeddingProcessor
        implements Processor<String, IntentDefinition, Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(CatalogEmbeddingProcessor.class);
    private static final char SEP = '\u0000';

    /** Store and sink names, and settings. */
    public record Settings(
            String catalogStore,
            String versionStore,
            String intentStore,
            String embeddingsSink,
            String deadLetterSink,
            Duration checkInterval,
            int maxIntentsPerCheck,
            int maxExamplesPerIntent) {}

    private final Settings settings;
    private final ModelRegistry models;
    private final ServiceMetrics metrics;
    private final AvroSerde<IntentDefinition> definitionSerde =
            AvroSerde.of(IntentDefinition.class);
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, IntentDefinition> catalog;
    private KeyValueStore<String, String> embeddedVersions;
    private ReadOnlyKeyValueStore<String, IntentEmbedding> intents;
    private DeadLetterForwarder deadLetters;

    public CatalogEmbeddingProcessor(
            Settings settings, ModelRegistry models, ServiceMetrics metrics) {
        this.settings = settings;
        this.models = models;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.catalog = context.getStateStore(settings.catalogStore());
        this.embeddedVersions = context.getStateStore(settings.versionStore());
        this.intents = context.getStateStore(settings.intentStore());
        this.deadLetters = new DeadLetterForwarder(context, settings.deadLetterSink(), metrics);
        context.schedule(
                settings.checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::embedMissing);
    }

    @Override
    public void process(Record<String, IntentDefinition> record) {
        String intentId = record.key();
        IntentDefinition definition = record.value();
        if (intentId == null || intentId.isBlank()) {
            deadLetters.send(
                    record,
                    definitionSerde.serialize(null, definition),
                    DeadLetters.REASON_INVALID_INTENT,
                    "intent without a key",
                    null);
            return;
        }
        if (intentId.indexOf(IntentEmbeddingKey.PART_SEPARATOR) >= 0) {
            deadLetters.send(
                    record,
                    definitionSerde.serialize(null, definition),
                    DeadLetters.REASON_INVALID_INTENT,
                    "an intent id must not contain the unit separator U+001F",
                    null);
            return;
        }
        if (definition == null) {
            catalog.delete(intentId);
            for (String version : versionsOf(intentId)) {
                tombstones(version, intentId, 0, record.timestamp());
                embeddedVersions.delete(intentId + SEP + version);
            }
            log.info("Intent {} deleted (catalog {})", intentId, coordinates());
            return;
        }
        if (definition.getExamples().stream().allMatch(String::isBlank)) {
            deadLetters.send(
                    record,
                    definitionSerde.serialize(null, definition),
                    DeadLetters.REASON_INVALID_INTENT,
                    "intent " + intentId + " has no example utterances",
                    models.currentVersion());
            return;
        }
        if (definition.getExamples().size() > settings.maxExamplesPerIntent()) {
            deadLetters.send(
                    record,
                    definitionSerde.serialize(null, definition),
                    DeadLetters.REASON_INVALID_INTENT,
                    "intent "
                            + intentId
                            + " has "
                            + definition.getExamples().size()
                            + " examples, more than "
                            + settings.maxExamplesPerIntent(),
                    models.currentVersion());
            return;
        }
        IntentDefinition previous = catalog.get(intentId);
        catalog.put(intentId, definition);
        try (ServingModel.Lease current = models.acquire();
                ServingModel.Lease staged = models.acquireStaged()) {
            embed(intentId, definition, current, record.timestamp());
            if (staged != null && !staged.version().equals(current.version())) {
                embed(intentId, definition, staged, record.timestamp());
            }
            dropRetired(intentId, kept(current, staged), record.timestamp());
        } catch (OutOfMemoryError | StackOverflowError e) {
            // One intent too large for this instance: its allocation failed as a whole, so the
            // record is set aside, the catalog keeps what it had (so that its check does not
            // retry it) and the thread goes on.
            if (previous == null) {
                catalog.delete(intentId);
            } else {
                catalog.put(intentId, previous);
            }
            deadLetters.send(
                    record,
                    definitionSerde.serialize(null, definition),
                    DeadLetters.REASON_PROCESSING_ERROR,
                    "intent "
                            + intentId
                            + " could not be embedded: "
                            + e.getClass().getSimpleName(),
                    models.currentVersion());
        }
    }

    private void embed(
            String intentId,
            IntentDefinition definition,
            ServingModel.Lease lease,
            long timestamp) {
        String version = lease.version();
        if (!definition.getActive()) {
            tombstones(version, intentId, 0, timestamp);
        } else {
            int dimension = lease.model().dimension();
            float[][] utterances =
                    lease.encoder()
                            .encode(IntentEmbeddings.utterances(definition)); // (utterances, dim)
            float[][] exemplars =
                    exemplars(
                            IntentVectorStore.whole(intents, version, intentId).orElse(null),
                            dimension); // (exemplars, dim)
            float[][] vectors = Arrays.copyOf(utterances, utterances.length + exemplars.length);
            System.arraycopy(exemplars, 0, vectors, utterances.length, exemplars.length);
            List<IntentEmbedding> records =
                    IntentEmbeddings.records(
                            version,
                            definition,
                            lease.model().fittedThreshold(intentId),
                            dimension,
                            vectors,
                            exemplars.length);
            for (IntentEmbedding part : records) {
                forward(IntentEmbeddings.key(part), part, timestamp);
            }
            // Parts of an earlier, larger write that this one does not overwrite.
            tombstones(version, intentId, records.size(), timestamp);
            metrics.intentEmbedded();
        }
        embeddedVersions.put(intentId + SEP + version, version);
        log.debug(
                "Intent {} embedded with model {} ({} examples)",
                intentId,
                version,
                definition.getExamples().size());
    }

    /**
     * The last {@code exemplars} vectors of {@code stored}: the same model version made them, so
     * they sit beside fresh ones.
     */
    private static float[][] exemplars(IntentEmbedding stored, int dimension) {
        if (stored == null || stored.getExemplars() <= 0) {
            return new float[0][];
        }
        if (rows(stored, dimension) < stored.getExemplars()) {
            log.warn(
                    "Vectors of intent {} under model {} do not hold {} exemplars of dimension {};"
                            + " they are not carried over",
                    stored.getIntentId(),
                    stored.getModelVersion(),
                    stored.getExemplars(),
                    dimension);
            return new float[0][];
        }
        float[][] rows = EmbeddingVectors.unpack(stored.getVectors(), dimension);
        return Arrays.copyOfRange(rows, rows.length - stored.getExemplars(), rows.length);
    }

    /**
     * How many vectors of {@code dimension} {@code stored} holds; -1 if they are of another
     * dimension.
     */
    private static int rows(IntentEmbedding stored, int dimension) {
        int bytes = stored.getVectors().remaining();
        return stored.getDimension() == dimension && bytes % (Float.BYTES * dimension) == 0
                ? bytes / (Float.BYTES * dimension)
                : -1;
    }

    /**
     * Whether {@code stored} was made from {@code definition}: same route, one vector per utterance
     * besides the exemplars. The threshold may differ, as a release fits its own.
     */
    private static boolean madeFrom(
            IntentEmbedding stored, IntentDefinition definition, int dimension) {
        return definition.getActive()
                && stored.getRoute().equals(definition.getRoute())
                && stored.getExemplars() >= 0
                && rows(stored, dimension) - stored.getExemplars()
                        == IntentEmbeddings.utterances(definition).size();
    }

    /**
     * Embeds the intent for {@code lease}'s version unless the intent store already holds vectors
     * made from this definition, such as a release's, whose exemplars the catalog cannot reproduce.
     * Returns whether it embedded.
     */
    private boolean embedUnlessStored(
            String intentId,
            IntentDefinition definition,
            ServingModel.Lease lease,
            long timestamp) {
        String version = lease.version();
        IntentEmbedding stored = IntentVectorStore.whole(intents, version, intentId).orElse(null);
        if (stored != null && madeFrom(stored, definition, lease.model().dimension())) {
            embeddedVersions.put(intentId + SEP + version, version);
            log.debug(
                    "Intent {} keeps its stored vectors of model {} ({} exemplars)",
                    intentId,
                    version,
                    stored.getExemplars());
            return false;
        }
        embed(intentId, definition, lease, timestamp);
        return true;
    }

    /** The versions whose vectors stay: current, staged and the one served before the current. */
    private List<String> kept(ServingModel.Lease current, ServingModel.Lease staged) {
        List<String> kept = new ArrayList<>(List.of(current.version()));
        if (staged != null) {
            kept.add(staged.version());
        }
        String previous = models.previousVersion();
        if (previous != null) {
            kept.add(previous);
        }
        return kept;
    }

    /** Vectors of versions not kept are never matched against again. */
    private void dropRetired(String intentId, List<String> kept, long timestamp) {
        for (String version : versionsOf(intentId)) {
            if (!kept.contains(version)) {
                tombstones(version, intentId, 0, timestamp);
                embeddedVersions.delete(intentId + SEP + version);
            }
        }
    }

    /**
     * Tombstones for the stored parts {@code fromPart} and after of the intent's vectors of {@code
     * version}.
     */
    private void tombstones(String version, String intentId, int fromPart, long timestamp) {
        List<String> keys = IntentVectorStore.keys(intents, version, intentId);
        for (int p = fromPart; p < keys.size(); p++) {
            forward(keys.get(p), null, timestamp);
        }
    }

    private List<String> versionsOf(String intentId) {
        List<String> versions = new ArrayList<>();
        try (KeyValueIterator<String, String> it =
                embeddedVersions.prefixScan(intentId + SEP, new StringSerializer())) {
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
                    changed = embedUnlessStored(entry.key, entry.value, current, now);
                }
                if (staged != null
                        && !staged.version().equals(current.version())
                        && !versions.contains(staged.version())) {
                    changed |= embedUnlessStored(entry.key, entry.value, staged, now);
                }
                List<String> kept = kept(current, staged);
                boolean retired = versions.stream().anyMatch(v -> !kept.contains(v));
                if (changed || retired) {
                    dropRetired(entry.key, kept, now);
                    done++;
                }
            }
            if (done > 0) {
                log.info(
                        "Embedded {} intents for model {}{} (task {})",
                        done,
                        current.version(),
                        staged == null ? "" : " and staged model " + staged.version(),
                        context.taskId());
            }
        }
    }

    private void forward(String key, IntentEmbedding value, long timestamp) {
        context.forward(
                new Record<Object, Object>(key, value, timestamp), settings.embeddingsSink());
    }

    private String coordinates() {
        return context.recordMetadata()
                .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
                .orElse("-");
    }
}
