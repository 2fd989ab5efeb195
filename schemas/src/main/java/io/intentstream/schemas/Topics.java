package io.intentstream.schemas;

import io.intentstream.avro.IntentDefinition;
import io.intentstream.avro.IntentEmbedding;
import io.intentstream.avro.IntentMatch;
import io.intentstream.avro.MatchFeedback;
import io.intentstream.avro.ModelRelease;
import io.intentstream.avro.SupportQuery;
import io.intentstream.avro.TrainingExample;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic intent-stream reads or writes, declared once. Keys are UTF-8 strings; values are Avro
 * single-object encoded ({@link AvroSerde}) except on the dead-letter topic, which keeps the
 * rejected bytes as they were.
 *
 * <p>Topics that must share partitioning: {@link #QUERIES} and {@link #FEEDBACK} are both keyed by
 * query id and read by the same tasks, so they must have the same number of partitions.
 */
public final class Topics {

    public static final String DEFAULT_PREFIX = "intent-stream.";

    private static final Map<String, String> COMPACTED = Map.of("cleanup.policy", "compact");
    private static final Map<String, String> DELETE = Map.of("cleanup.policy", "delete");

    /** Support queries to match, keyed by queryId. */
    public static final Topic<String, SupportQuery> QUERIES =
            avro("queries", SupportQuery.class, DELETE);

    /** The intent catalog, keyed by intentId; compacted, a tombstone deletes an intent. */
    public static final Topic<String, IntentDefinition> INTENTS =
            avro("intents", IntentDefinition.class, COMPACTED);

    /**
     * Embedded intents, keyed by {@link IntentEmbeddingKey} {@code modelVersion/intentId};
     * compacted. Only the service's catalog processor (and a trainer preparing a release) write
     * here.
     */
    public static final Topic<String, IntentEmbedding> INTENT_EMBEDDINGS =
            avro("intent-embeddings", IntentEmbedding.class, COMPACTED);

    /** Queries matched to an intent, keyed by queryId. */
    public static final Topic<String, IntentMatch> MATCHES =
            avro("matches", IntentMatch.class, DELETE);

    /** Queries left for human triage (decision FALLBACK), keyed by queryId. */
    public static final Topic<String, IntentMatch> FALLBACKS =
            avro("fallbacks", IntentMatch.class, DELETE);

    /** Agents' and chatbots' verdicts on matches, keyed by queryId. */
    public static final Topic<String, MatchFeedback> FEEDBACK =
            avro("feedback", MatchFeedback.class, DELETE);

    /** Confirmed queries for fine-tuning, keyed by queryId. */
    public static final Topic<String, TrainingExample> TRAINING_EXAMPLES =
            avro("training-examples", TrainingExample.class, DELETE);

    /** Model releases, keyed by version; compacted. */
    public static final Topic<String, ModelRelease> MODELS =
            avro("models", ModelRelease.class, COMPACTED);

    /**
     * Rejected records with the reason in headers ({@link DeadLetters}); short retention (7 days).
     */
    public static final Topic<byte[], byte[]> DEAD_LETTERS =
            new Topic<>(
                    DEFAULT_PREFIX,
                    "dead-letters",
                    Serdes::ByteArray,
                    Serdes::ByteArray,
                    Map.of(
                            "cleanup.policy",
                            "delete",
                            "retention.ms",
                            String.valueOf(7L * 24 * 3600 * 1000)));

    /** Every topic, in a fixed order. */
    public static final List<Topic<?, ?>> ALL =
            List.of(
                    QUERIES,
                    INTENTS,
                    INTENT_EMBEDDINGS,
                    MATCHES,
                    FALLBACKS,
                    FEEDBACK,
                    TRAINING_EXAMPLES,
                    MODELS,
                    DEAD_LETTERS);

    private Topics() {}

    /** Every topic under {@code prefix}. */
    public static List<Topic<?, ?>> all(String prefix) {
        return ALL.stream().<Topic<?, ?>>map(t -> t.withPrefix(prefix)).toList();
    }

    private static <V extends SpecificRecord> Topic<String, V> avro(
            String suffix, Class<V> type, Map<String, String> configs) {
        Supplier<Serde<V>> values = () -> AvroSerde.of(type);
        return new Topic<>(DEFAULT_PREFIX, suffix, Serdes::String, values, configs);
    }
}
