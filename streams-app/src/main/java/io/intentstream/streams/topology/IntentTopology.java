package io.intentstream.streams.topology;

import io.intentstream.avro.BufferedQuery;
import io.intentstream.avro.IntentEmbedding;
import io.intentstream.avro.IntentMatch;
import io.intentstream.schemas.AvroSerde;
import io.intentstream.schemas.Topic;
import io.intentstream.schemas.Topics;
import io.intentstream.streams.config.IntentStreamConfig;
import io.intentstream.streams.metrics.ServiceMetrics;
import io.intentstream.streams.model.IntentIndexCache;
import io.intentstream.streams.model.ModelRegistry;
import io.intentstream.streams.processor.CatalogEmbeddingProcessor;
import io.intentstream.streams.processor.FeedbackJoinProcessor;
import io.intentstream.streams.processor.IntentEmbeddingStoreProcessor;
import io.intentstream.streams.processor.MicroBatchMatchProcessor;
import io.intentstream.streams.processor.QueryValidationProcessor;
import io.intentstream.streams.processor.StreamThreadFlushTime;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the service's topology. Pure: the same call serves {@code TopologyTestDriver}, a local
 * broker and production. Every source, processor, sink and store has an explicit name ({@code
 * *_SOURCE}, {@code *_PROCESSOR}, {@code *_SINK}, {@code *_STORE} below).
 *
 * <pre>
 * intents ──▶ embed-catalog [intent-catalog, intent-catalog-versions, intent-embeddings] ──▶ intent-embeddings
 * intent-embeddings ──▶ put-intent-embeddings ──▶ (global) intent-embeddings store
 * queries ──▶ validate-query ──▶ batch-match [query-batch-buffer, recent-matches, intent-embeddings] ──▶ matches | fallbacks
 * feedback ──▶ join-feedback [recent-matches, intent-embeddings] ──▶ training-examples
 * every processor ──▶ dead-letters (rejected records, reason in headers)
 * </pre>
 *
 * <p>Queries and feedback are read by the same tasks (they share the recent-matches store), so
 * their topics must have the same number of partitions.
 */
public final class IntentTopology {

    public static final String CATALOG_SOURCE = "catalog-source";
    public static final String EMBED_CATALOG_PROCESSOR = "embed-catalog";
    public static final String INTENT_EMBEDDINGS_SINK = "intent-embeddings-sink";
    public static final String INTENT_EMBEDDINGS_SOURCE = "intent-embeddings-source";
    public static final String PUT_INTENT_EMBEDDINGS_PROCESSOR = "put-intent-embeddings";
    public static final String QUERIES_SOURCE = "queries-source";
    public static final String VALIDATE_QUERY_PROCESSOR = "validate-query";
    public static final String BATCH_MATCH_PROCESSOR = "batch-match";
    public static final String MATCHES_SINK = "matches-sink";
    public static final String FALLBACKS_SINK = "fallbacks-sink";
    public static final String FEEDBACK_SOURCE = "feedback-source";
    public static final String JOIN_FEEDBACK_PROCESSOR = "join-feedback";
    public static final String TRAINING_EXAMPLES_SINK = "training-examples-sink";
    public static final String DEAD_LETTER_SINK = "dead-letter-sink";

    /** Intent definitions by intentId (changelogged). */
    public static final String CATALOG_STORE = "intent-catalog";

    /** The model version each intent was last embedded with (changelogged). */
    public static final String CATALOG_VERSIONS_STORE = "intent-catalog-versions";

    /**
     * Global store of precomputed intent vectors keyed {@code modelVersion/intentId}, restored from
     * its topic.
     */
    public static final String INTENT_EMBEDDINGS_STORE = "intent-embeddings";

    /** Queries waiting to be embedded, by sequence number (changelogged). */
    public static final String BATCH_BUFFER_STORE = "query-batch-buffer";

    /** Recent matches by queryId, kept for the feedback retention (changelogged window store). */
    public static final String RECENT_MATCHES_STORE = "recent-matches";

    private IntentTopology() {}

    /** The topology with a fresh index cache and meters nobody reads; for tests and tools. */
    public static Topology build(IntentStreamConfig config, ModelRegistry models) {
        return build(config, models, new IntentIndexCache(), ServiceMetrics.noop());
    }

    /**
     * Builds the topology.
     *
     * @param config topic prefix, matcher, batching and retention settings
     * @param models the model in use; read on every batch, so a swap takes effect at the next batch
     * @param indexCache in-memory intent matrices shared with the HTTP endpoint of this instance
     * @param metrics the service's meters
     */
    public static Topology build(
            IntentStreamConfig config,
            ModelRegistry models,
            IntentIndexCache indexCache,
            ServiceMetrics metrics) {
        return build(config, models, indexCache, metrics, Time.SYSTEM);
    }

    /**
     * As {@link #build(IntentStreamConfig, ModelRegistry, IntentIndexCache, ServiceMetrics)}, on
     * {@code time}'s clock.
     */
    public static Topology build(
            IntentStreamConfig config,
            ModelRegistry models,
            IntentIndexCache indexCache,
            ServiceMetrics metrics,
            Time time) {
        String prefix = config.topicPrefix();
        Topic<String, ?> intents = Topics.INTENTS.withPrefix(prefix);
        Topic<String, IntentEmbedding> embeddings = Topics.INTENT_EMBEDDINGS.withPrefix(prefix);
        Topic<String, ?> queries = Topics.QUERIES.withPrefix(prefix);
        Topic<String, IntentMatch> matches = Topics.MATCHES.withPrefix(prefix);
        Topic<String, IntentMatch> fallbacks = Topics.FALLBACKS.withPrefix(prefix);
        Topic<String, ?> feedback = Topics.FEEDBACK.withPrefix(prefix);
        Topic<String, ?> training = Topics.TRAINING_EXAMPLES.withPrefix(prefix);
        Topic<byte[], byte[]> deadLetters = Topics.DEAD_LETTERS.withPrefix(prefix);

        Topology topology = new Topology();

        // Catalog → intent vectors of the model in use.
        topology.addSource(
                CATALOG_SOURCE,
                intents.keySerde().deserializer(),
                intents.valueSerde().deserializer(),
                intents.name());
        CatalogEmbeddingProcessor.Settings catalogSettings =
                new CatalogEmbeddingProcessor.Settings(
                        CATALOG_STORE,
                        CATALOG_VERSIONS_STORE,
                        INTENT_EMBEDDINGS_STORE,
                        INTENT_EMBEDDINGS_SINK,
                        DEAD_LETTER_SINK,
                        Duration.ofMillis(config.catalogCheckIntervalMs()),
                        config.catalogReembedMaxIntents(),
                        config.catalogMaxExamplesPerIntent());
        topology.addProcessor(
                EMBED_CATALOG_PROCESSOR,
                () -> new CatalogEmbeddingProcessor(catalogSettings, models, metrics),
                CATALOG_SOURCE);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(CATALOG_STORE),
                        Serdes.String(),
                        Topics.INTENTS.valueSerde()),
                EMBED_CATALOG_PROCESSOR);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(CATALOG_VERSIONS_STORE),
                        Serdes.String(),
                        Serdes.String()),
                EMBED_CATALOG_PROCESSOR);
        topology.addSink(
                INTENT_EMBEDDINGS_SINK,
                embeddings.name(),
                embeddings.keySerde().serializer(),
                embeddings.valueSerde().serializer(),
                EMBED_CATALOG_PROCESSOR);

        // Intent vectors → global store every task and the HTTP endpoint read.
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(INTENT_EMBEDDINGS_STORE),
                                Serdes.String(),
                                embeddings.valueSerde())
                        .withLoggingDisabled(),
                INTENT_EMBEDDINGS_SOURCE,
                embeddings.keySerde().deserializer(),
                embeddings.valueSerde().deserializer(),
                embeddings.name(),
                PUT_INTENT_EMBEDDINGS_PROCESSOR,
                () ->
                        new IntentEmbeddingStoreProcessor(
                                INTENT_EMBEDDINGS_STORE, indexCache, metrics));

        // Queries → validate → micro-batch embed and match → matches | fallbacks.
        topology.addSource(
                QUERIES_SOURCE,
                queries.keySerde().deserializer(),
                queries.valueSerde().deserializer(),
                queries.name());
        topology.addProcessor(
                VALIDATE_QUERY_PROCESSOR,
                () ->
                        new QueryValidationProcessor(
                                config.queryMaxChars(),
                                BATCH_MATCH_PROCESSOR,
                                DEAD_LETTER_SINK,
                                models,
                                metrics),
                QUERIES_SOURCE);
        MicroBatchMatchProcessor.Settings batchSettings =
                new MicroBatchMatchProcessor.Settings(
                        BATCH_BUFFER_STORE,
                        RECENT_MATCHES_STORE,
                        INTENT_EMBEDDINGS_STORE,
                        MATCHES_SINK,
                        FALLBACKS_SINK,
                        DEAD_LETTER_SINK,
                        config.batchMaxSize(),
                        Duration.ofMillis(config.batchMaxWaitMs()),
                        config.batchMatcher(),
                        config.batchCommitAfterFlush());
        StreamThreadFlushTime flushTime = new StreamThreadFlushTime();
        topology.addProcessor(
                BATCH_MATCH_PROCESSOR,
                () ->
                        new MicroBatchMatchProcessor(
                                batchSettings, models, indexCache, metrics, time, flushTime),
                VALIDATE_QUERY_PROCESSOR);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(BATCH_BUFFER_STORE),
                        Serdes.Long(),
                        AvroSerde.of(BufferedQuery.class)),
                BATCH_MATCH_PROCESSOR);
        topology.addSink(
                MATCHES_SINK,
                matches.name(),
                matches.keySerde().serializer(),
                matches.valueSerde().serializer(),
                BATCH_MATCH_PROCESSOR);
        topology.addSink(
                FALLBACKS_SINK,
                fallbacks.name(),
                fallbacks.keySerde().serializer(),
                fallbacks.valueSerde().serializer(),
                BATCH_MATCH_PROCESSOR);

        // Feedback → join with the recent match → training examples.
        topology.addSource(
                FEEDBACK_SOURCE,
                feedback.keySerde().deserializer(),
                feedback.valueSerde().deserializer(),
                feedback.name());
        topology.addProcessor(
                JOIN_FEEDBACK_PROCESSOR,
                () ->
                        new FeedbackJoinProcessor(
                                RECENT_MATCHES_STORE,
                                INTENT_EMBEDDINGS_STORE,
                                TRAINING_EXAMPLES_SINK,
                                DEAD_LETTER_SINK,
                                models,
                                metrics),
                FEEDBACK_SOURCE);
        Duration retention = Duration.ofMillis(config.matchRetentionMs());
        topology.addStateStore(
                Stores.windowStoreBuilder(
                        Stores.persistentWindowStore(
                                RECENT_MATCHES_STORE, retention, Duration.ofMillis(1), false),
                        Serdes.String(),
                        matches.valueSerde()),
                BATCH_MATCH_PROCESSOR,
                JOIN_FEEDBACK_PROCESSOR);
        topology.addSink(
                TRAINING_EXAMPLES_SINK,
                training.name(),
                Serdes.String().serializer(),
                Topics.TRAINING_EXAMPLES.valueSerde().serializer(),
                JOIN_FEEDBACK_PROCESSOR);

        topology.addSink(
                DEAD_LETTER_SINK,
                deadLetters.name(),
                deadLetters.keySerde().serializer(),
                deadLetters.valueSerde().serializer(),
                EMBED_CATALOG_PROCESSOR,
                VALIDATE_QUERY_PROCESSOR,
                BATCH_MATCH_PROCESSOR,
                JOIN_FEEDBACK_PROCESSOR);
        return topology;
    }
}
