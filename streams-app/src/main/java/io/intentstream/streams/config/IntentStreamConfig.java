package io.intentstream.streams.config;

import io.intentstream.encoder.EncoderOptions;
import io.intentstream.encoder.Execution;
import io.intentstream.encoder.Precision;
import io.intentstream.matching.BatchMatcher;
import io.intentstream.matching.MatchRule;
import io.intentstream.schemas.Topics;
import io.intentstream.streams.errors.DeadLetterDeserializationHandler;
import io.intentstream.streams.errors.DeadLetterProcessingHandler;
import io.intentstream.streams.errors.DeadLetterRecords;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The service's typed configuration. Every key has a type, a default and a doc ({@link #CONFIG});
 * Kafka client and Kafka Streams settings pass through under the prefix {@value #STREAMS_PREFIX}
 * (e.g. {@code streams.num.stream.threads=2}, {@code streams.security.protocol=SASL_SSL}) and win
 * over the defaults this class sets.
 */
public final class IntentStreamConfig extends AbstractConfig {

    public static final String STREAMS_PREFIX = "streams.";

    public static final String APPLICATION_ID_CONFIG = "application.id";
    private static final String APPLICATION_ID_DOC =
            "Kafka Streams application id: consumer group, prefix of internal topics and of the"
                    + " state directory. Instances with the same id share the work.";

    public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
    private static final String BOOTSTRAP_SERVERS_DOC =
            "Kafka brokers to connect to (host:port,...). Empty means: the launcher starts an"
                    + " in-process single-node broker.";

    public static final String TOPIC_PREFIX_CONFIG = "topic.prefix";
    private static final String TOPIC_PREFIX_DOC =
            "Prefix of every topic name, e.g. intent-stream.queries.";

    public static final String MODEL_DIR_CONFIG = "model.dir";
    private static final String MODEL_DIR_DOC =
            "Model to serve at start-up: 'default' (all-MiniLM-L6-v2 from the class path) or a"
                    + " sentence-transformers directory.";

    public static final String MODEL_STORE_DIR_CONFIG = "model.store.dir";
    private static final String MODEL_STORE_DIR_DOC =
            "The trainer's model store, as this instance sees it: a release's model URI must"
                    + " resolve inside it (real paths, so no symbolic link leads out). Empty: every"
                    + " release is refused.";

    public static final String RELEASE_SIGNING_KEY_CONFIG = "release.signing.key";
    private static final String RELEASE_SIGNING_KEY_DOC =
            "Key the trainers sign releases with (HMAC-SHA256). When set, unsigned or wrongly"
                + " signed releases are refused. Give it as INTENT_STREAM_RELEASE_SIGNING_KEY or in"
                + " a secrets file; it is never logged. Empty: signatures are not checked.";

    public static final String MODEL_DEVICE_CONFIG = "model.device";
    private static final String MODEL_DEVICE_DOC =
            "Where the model runs: auto (a GPU if PyTorch sees one), cpu or gpu.";

    public static final String MODEL_PRECISION_CONFIG = "model.precision";
    private static final String MODEL_PRECISION_DOC =
            "Inference precision: fp32; fp16 (scripted: float16 weights in fbgemm's GEMM on the"
                    + " CPU; eager: the whole model in float16); int8 (linear layers quantized"
                    + " dynamically, scripted, CPU).";

    public static final String MODEL_EXECUTION_CONFIG = "model.execution";
    private static final String MODEL_EXECUTION_DOC =
            "scripted (the model as one TorchScript module: one native call per batch) or eager"
                    + " (operation by operation through DJL).";

    public static final String MODEL_INTRA_OP_THREADS_CONFIG = "model.intra.op.threads";
    private static final String MODEL_INTRA_OP_THREADS_DOC =
            "Cores one encoder call may use (PyTorch's intra-op threads, process-wide). 0 splits"
                + " the cores among the stream threads (streams.num.stream.threads, by default two"
                + " per core): cores / stream threads, at least 1; with a single stream thread"
                + " PyTorch's default, every core.";

    public static final String TOP_K_CONFIG = "matcher.top.k";
    private static final String TOP_K_DOC =
            "Number of candidate intents kept on each match, best first.";

    public static final String THRESHOLD_CONFIG = "matcher.threshold";
    private static final String THRESHOLD_DOC =
            "Cosine similarity the best intent must reach to be matched, unless the intent sets its"
                    + " own threshold; below it the query falls back.";

    public static final String MARGIN_CONFIG = "matcher.margin";
    private static final String MARGIN_DOC =
            "Minimum difference between the best and the second-best intent's scores; a closer race"
                    + " falls back. 0 turns the check off.";

    public static final String NEIGHBOURS_CONFIG = "matcher.neighbours";
    private static final String NEIGHBOURS_DOC =
            "An intent's score is the mean cosine of its this-many examples closest to the query"
                + " (1: the closest only). Applies to models without a release and to releases that"
                + " name no value; a release's own value wins.";

    public static final String FALLBACK_ENABLED_CONFIG = "matcher.fallback.enabled";
    private static final String FALLBACK_ENABLED_DOC =
            "When false, the best intent is always matched (thresholds and margin are ignored);"
                    + " only an empty catalog falls back.";

    public static final String BATCH_MAX_SIZE_CONFIG = "batch.max.size";
    private static final String BATCH_MAX_SIZE_DOC =
            "Largest number of queries embedded in one call.";

    public static final String BATCH_MAX_WAIT_MS_CONFIG = "batch.max.wait.ms";
    private static final String BATCH_MAX_WAIT_MS_DOC =
            "How often (wall-clock) a partly filled batch is flushed; a query waits about this long"
                + " at most when traffic is light. Short, because batches fill by themselves while"
                + " the stream thread embeds the previous one.";

    public static final String BATCH_COMMIT_AFTER_FLUSH_CONFIG = "batch.commit.after.flush";
    private static final String BATCH_COMMIT_AFTER_FLUSH_DOC =
            "Ask Kafka Streams to commit after each flushed batch. Under exactly-once, outcomes"
                    + " become visible only at a commit, so without this a query also waits for the"
                    + " next streams.commit.interval.ms (100 ms).";

    public static final String QUERY_MAX_CHARS_CONFIG = "query.max.chars";
    private static final String QUERY_MAX_CHARS_DOC =
            "Longest query text accepted, in characters; longer queries go to the dead-letter topic"
                    + " (reason text-too-long).";

    public static final String ENCODER_TIMEOUT_MS_CONFIG = "encoder.timeout.ms";
    private static final String ENCODER_TIMEOUT_MS_DOC =
            "Longest one encoder call may take. A batch that takes longer is embedded text by text,"
                    + " each with the same limit, and a text that still takes longer goes to the"
                    + " dead-letter topic (reason processing-error).";

    public static final String DEAD_LETTER_MAX_BYTES_CONFIG = "dead.letter.max.bytes";
    private static final String DEAD_LETTER_MAX_BYTES_DOC =
            "Largest dead letter, in bytes of key, value and headers. A rejected record that would"
                    + " exceed it is dead-lettered as a truncated copy with the original's size and"
                    + " sha256 in headers; keep it below the producer's max.request.size and the"
                    + " dead-letter topic's max.message.bytes.";

    public static final String MATCH_RETENTION_MS_CONFIG = "feedback.match.retention.ms";
    private static final String MATCH_RETENTION_MS_DOC =
            "How long a match is kept for joining feedback to it; feedback for an older query goes"
                    + " to the dead-letter topic (reason unknown-query).";

    public static final String CATALOG_CHECK_INTERVAL_MS_CONFIG = "catalog.check.interval.ms";
    private static final String CATALOG_CHECK_INTERVAL_MS_DOC =
            "How often (wall-clock) the catalog processor checks that every intent is embedded with"
                    + " the model in use, re-embedding those that are not.";

    public static final String CATALOG_MAX_EXAMPLES_CONFIG = "catalog.max.examples.per.intent";
    private static final String CATALOG_MAX_EXAMPLES_DOC =
            "Most example utterances one intent may have; an intent with more goes to the"
                + " dead-letter topic (reason invalid-intent). Embedding an intent runs inside one"
                + " transaction of the stream thread, so this bounds how long one record can hold"
                + " it.";

    public static final String CATALOG_REEMBED_MAX_INTENTS_CONFIG = "catalog.reembed.max.intents";
    private static final String CATALOG_REEMBED_MAX_INTENTS_DOC =
            "Largest number of intents re-embedded per check, so a model change re-embeds a large"
                    + " catalog in steps that each fit in a transaction.";

    public static final String HTTP_HOST_CONFIG = "http.host";
    private static final String HTTP_HOST_DOC =
            "Address the HTTP endpoint (/match, /health, /metrics) binds to.";

    public static final String HTTP_PORT_CONFIG = "http.port";
    private static final String HTTP_PORT_DOC =
            "Port of the HTTP endpoint; 0 picks a free port, -1 turns the endpoint off.";

    // Hot swap of model releases.
    public static final String MODEL_RELEASES_ENABLED_CONFIG = "model.releases.enabled";
    private static final String MODEL_RELEASES_ENABLED_DOC =
            "Follow the models topic and swap in each new release (sha256, canary and catalog"
                    + " checked first).";

    public static final String MODEL_SWAP_CATALOG_TIMEOUT_MS_CONFIG =
            "model.swap.catalog.timeout.ms";
    private static final String MODEL_SWAP_CATALOG_TIMEOUT_MS_DOC =
            "How long a swap waits for the catalog's vectors of the new version before it refuses"
                    + " the release.";

    /** Every key of the service with its type, default, validator, importance and doc. */
    public static final ConfigDef CONFIG =
            new ConfigDef()
                    .define(
                            APPLICATION_ID_CONFIG,
                            Type.STRING,
                            "intent-stream",
                            new ConfigDef.NonEmptyString(),
                            Importance.HIGH,
                            APPLICATION_ID_DOC)
                    .define(
                            BOOTSTRAP_SERVERS_CONFIG,
                            Type.STRING,
                            "",
                            Importance.HIGH,
                            BOOTSTRAP_SERVERS_DOC)
                    .define(
                            TOPIC_PREFIX_CONFIG,
                            Type.STRING,
                            Topics.DEFAULT_PREFIX,
                            Importance.MEDIUM,
                            TOPIC_PREFIX_DOC)
                    .define(
                            MODEL_DIR_CONFIG,
                            Type.STRING,
                            "default",
                            new ConfigDef.NonEmptyString(),
                            Importance.HIGH,
                            MODEL_DIR_DOC)
                    .define(
                            MODEL_DEVICE_CONFIG,
                            Type.STRING,
                            "auto",
                            ValidString.in("auto", "cpu", "gpu"),
                            Importance.MEDIUM,
                            MODEL_DEVICE_DOC)
                    .define(
                            MODEL_PRECISION_CONFIG,
                            Type.STRING,
                            "fp32",
                            ValidString.in("fp32", "fp16", "int8"),
                            Importance.MEDIUM,
                            MODEL_PRECISION_DOC)
                    .define(
                            MODEL_EXECUTION_CONFIG,
                            Type.STRING,
                            "scripted",
                            ValidString.in("scripted", "eager"),
                            Importance.LOW,
                            MODEL_EXECUTION_DOC)
                    .define(
                            MODEL_INTRA_OP_THREADS_CONFIG,
                            Type.INT,
                            0,
                            Range.atLeast(0),
                            Importance.MEDIUM,
                            MODEL_INTRA_OP_THREADS_DOC)
                    .define(
                            TOP_K_CONFIG,
                            Type.INT,
                            5,
                            Range.between(1, 100),
                            Importance.MEDIUM,
                            TOP_K_DOC)
                    .define(
                            THRESHOLD_CONFIG,
                            Type.DOUBLE,
                            0.5,
                            Range.between(-1.0, 1.0),
                            Importance.HIGH,
                            THRESHOLD_DOC)
                    .define(
                            MARGIN_CONFIG,
                            Type.DOUBLE,
                            0.0,
                            Range.between(0.0, 2.0),
                            Importance.MEDIUM,
                            MARGIN_DOC)
                    .define(
                            NEIGHBOURS_CONFIG,
                            Type.INT,
                            1,
                            Range.between(1, 100),
                            Importance.MEDIUM,
                            NEIGHBOURS_DOC)
                    .define(
                            FALLBACK_ENABLED_CONFIG,
                            Type.BOOLEAN,
                            true,
                            Importance.MEDIUM,
                            FALLBACK_ENABLED_DOC)
                    .define(
                            BATCH_MAX_SIZE_CONFIG,
                            Type.INT,
                            32,
                            Range.between(1, 4096),
                            Importance.MEDIUM,
                            BATCH_MAX_SIZE_DOC)
                    .define(
                            BATCH_MAX_WAIT_MS_CONFIG,
                            Type.LONG,
                            2L,
                            Range.between(1L, 60_000L),
                            Importance.MEDIUM,
                            BATCH_MAX_WAIT_MS_DOC)
                    .define(
                            BATCH_COMMIT_AFTER_FLUSH_CONFIG,
                            Type.BOOLEAN,
                            true,
                            Importance.MEDIUM,
                            BATCH_COMMIT_AFTER_FLUSH_DOC)
                    .define(
                            QUERY_MAX_CHARS_CONFIG,
                            Type.INT,
                            2000,
                            Range.between(1, 1_000_000),
                            Importance.MEDIUM,
                            QUERY_MAX_CHARS_DOC)
                    .define(
                            ENCODER_TIMEOUT_MS_CONFIG,
                            Type.LONG,
                            30_000L,
                            Range.atLeast(100L),
                            Importance.LOW,
                            ENCODER_TIMEOUT_MS_DOC)
                    .define(
                            DEAD_LETTER_MAX_BYTES_CONFIG,
                            Type.INT,
                            DeadLetterRecords.DEFAULT_MAX_BYTES,
                            Range.atLeast(4096),
                            Importance.LOW,
                            DEAD_LETTER_MAX_BYTES_DOC)
                    .define(
                            MATCH_RETENTION_MS_CONFIG,
                            Type.LONG,
                            7L * 24 * 3600 * 1000,
                            Range.atLeast(60_000L),
                            Importance.MEDIUM,
                            MATCH_RETENTION_MS_DOC)
                    .define(
                            CATALOG_CHECK_INTERVAL_MS_CONFIG,
                            Type.LONG,
                            1000L,
                            Range.between(10L, 3_600_000L),
                            Importance.LOW,
                            CATALOG_CHECK_INTERVAL_MS_DOC)
                    .define(
                            CATALOG_REEMBED_MAX_INTENTS_CONFIG,
                            Type.INT,
                            16,
                            Range.atLeast(1),
                            Importance.LOW,
                            CATALOG_REEMBED_MAX_INTENTS_DOC)
                    .define(
                            CATALOG_MAX_EXAMPLES_CONFIG,
                            Type.INT,
                            20_000,
                            Range.between(1, 1_000_000),
                            Importance.LOW,
                            CATALOG_MAX_EXAMPLES_DOC)
                    .define(HTTP_HOST_CONFIG, Type.STRING, "0.0.0.0", Importance.LOW, HTTP_HOST_DOC)
                    .define(
                            HTTP_PORT_CONFIG,
                            Type.INT,
                            8080,
                            Range.between(-1, 65535),
                            Importance.MEDIUM,
                            HTTP_PORT_DOC)
                    .define(
                            MODEL_STORE_DIR_CONFIG,
                            Type.STRING,
                            "",
                            Importance.MEDIUM,
                            MODEL_STORE_DIR_DOC)
                    .define(
                            RELEASE_SIGNING_KEY_CONFIG,
                            Type.PASSWORD,
                            null,
                            Importance.MEDIUM,
                            RELEASE_SIGNING_KEY_DOC)
                    .define(
                            MODEL_RELEASES_ENABLED_CONFIG,
                            Type.BOOLEAN,
                            true,
                            Importance.MEDIUM,
                            MODEL_RELEASES_ENABLED_DOC)
                    .define(
                            MODEL_SWAP_CATALOG_TIMEOUT_MS_CONFIG,
                            Type.LONG,
                            300_000L,
                            Range.atLeast(0L),
                            Importance.LOW,
                            MODEL_SWAP_CATALOG_TIMEOUT_MS_DOC);

    public IntentStreamConfig(Map<?, ?> originals) {
        super(CONFIG, originals, true);
        try {
            encoderOptions();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    MODEL_PRECISION_CONFIG, getString(MODEL_PRECISION_CONFIG), e.getMessage());
        }
    }

    /** A config from {@code originals} with the keys of {@code overrides} replaced. */
    public IntentStreamConfig with(Map<String, ?> overrides) {
        Map<String, Object> merged = new java.util.HashMap<>(originals());
        merged.putAll(overrides);
        return new IntentStreamConfig(merged);
    }

    public String applicationId() {
        return getString(APPLICATION_ID_CONFIG);
    }

    public String bootstrapServers() {
        return getString(BOOTSTRAP_SERVERS_CONFIG);
    }

    public String topicPrefix() {
        return getString(TOPIC_PREFIX_CONFIG);
    }

    public String modelDir() {
        return getString(MODEL_DIR_CONFIG);
    }

    public String modelDevice() {
        return getString(MODEL_DEVICE_CONFIG);
    }

    /** How the service's encoder runs the model: the configured precision and execution. */
    public EncoderOptions encoderOptions() {
        return new EncoderOptions(
                EncoderOptions.DEFAULT.batchSize(),
                EncoderOptions.DEFAULT.sortByLength(),
                Precision.parse(getString(MODEL_PRECISION_CONFIG)),
                Execution.parse(getString(MODEL_EXECUTION_CONFIG)));
    }

    /**
     * The configured PyTorch intra-op threads; 0 means split the cores among the stream threads.
     */
    public int modelIntraOpThreads() {
        return getInt(MODEL_INTRA_OP_THREADS_CONFIG);
    }

    /**
     * Two stream threads per core, each embedding on one core (see intraOpThreadsFor). A query
     * waits only for its own thread: with one thread per core, one that arrives while its thread
     * embeds the previous batch waits for that batch to end; with two, the operating system shares
     * the cores among the batches in progress and a new batch starts at once. At moderate load
     * batches are small and gain little from a second core inside one call.
     */
    public static int defaultStreamThreads() {
        return 2 * Runtime.getRuntime().availableProcessors();
    }

    /**
     * Kafka Streams' {@code num.stream.threads} as this service will run it: twice the cores unless
     * set.
     */
    public int streamThreads() {
        return Integer.parseInt(
                streamsProperties(Map.of())
                        .get(StreamsConfig.NUM_STREAM_THREADS_CONFIG)
                        .toString()
                        .trim());
    }

    /**
     * The intra-op threads to set at start on a machine with {@code cores} cores, or 0 to keep
     * PyTorch's default. Small batches gain little from a second core inside one call, so with
     * several stream threads each gets its share of the cores rather than all of them.
     */
    public int intraOpThreadsFor(int cores) {
        if (modelIntraOpThreads() > 0) {
            return modelIntraOpThreads();
        }
        int threads = streamThreads();
        return threads > 1 ? Math.max(1, cores / threads) : 0;
    }

    public int topK() {
        return getInt(TOP_K_CONFIG);
    }

    /** How this service decides: its threshold, margin and fallback switch, with its top-k. */
    public BatchMatcher batchMatcher() {
        return new BatchMatcher(new MatchRule(threshold(), margin(), fallbackEnabled()), topK());
    }

    public float threshold() {
        return getDouble(THRESHOLD_CONFIG).floatValue();
    }

    public int neighbours() {
        return getInt(NEIGHBOURS_CONFIG);
    }

    public float margin() {
        return getDouble(MARGIN_CONFIG).floatValue();
    }

    public boolean fallbackEnabled() {
        return getBoolean(FALLBACK_ENABLED_CONFIG);
    }

    public int batchMaxSize() {
        return getInt(BATCH_MAX_SIZE_CONFIG);
    }

    public long batchMaxWaitMs() {
        return getLong(BATCH_MAX_WAIT_MS_CONFIG);
    }

    public boolean batchCommitAfterFlush() {
        return getBoolean(BATCH_COMMIT_AFTER_FLUSH_CONFIG);
    }

    public int queryMaxChars() {
        return getInt(QUERY_MAX_CHARS_CONFIG);
    }

    public java.time.Duration encoderTimeout() {
        return java.time.Duration.ofMillis(getLong(ENCODER_TIMEOUT_MS_CONFIG));
    }

    public int deadLetterMaxBytes() {
        return getInt(DEAD_LETTER_MAX_BYTES_CONFIG);
    }

    /** Where releases' model directories must be, or null when no release is trusted. */
    public java.nio.file.Path modelStoreDir() {
        String dir = getString(MODEL_STORE_DIR_CONFIG);
        return dir.isBlank() ? null : java.nio.file.Path.of(dir);
    }

    /** The key releases must be signed with, or null when signatures are not checked. */
    public String releaseSigningKey() {
        var key = getPassword(RELEASE_SIGNING_KEY_CONFIG);
        return key == null || key.value().isEmpty() ? null : key.value();
    }

    public long matchRetentionMs() {
        return getLong(MATCH_RETENTION_MS_CONFIG);
    }

    public long catalogCheckIntervalMs() {
        return getLong(CATALOG_CHECK_INTERVAL_MS_CONFIG);
    }

    public int catalogMaxExamplesPerIntent() {
        return getInt(CATALOG_MAX_EXAMPLES_CONFIG);
    }

    public int catalogReembedMaxIntents() {
        return getInt(CATALOG_REEMBED_MAX_INTENTS_CONFIG);
    }

    public String httpHost() {
        return getString(HTTP_HOST_CONFIG);
    }

    public int httpPort() {
        return getInt(HTTP_PORT_CONFIG);
    }

    public boolean modelReleasesEnabled() {
        return getBoolean(MODEL_RELEASES_ENABLED_CONFIG);
    }

    public long modelSwapCatalogTimeoutMs() {
        return getLong(MODEL_SWAP_CATALOG_TIMEOUT_MS_CONFIG);
    }

    /**
     * The properties {@code KafkaStreams} is built with: this service's defaults (exactly-once v2,
     * dead-letter handlers, explicit naming) overlaid by every {@code streams.*} key.
     *
     * @param extra objects handed to the exception handlers' {@code configure} (e.g. the metrics)
     */
    public Properties streamsProperties(Map<String, ?> extra) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId());
        if (!bootstrapServers().isBlank()) {
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        }
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationHandler.class.getName());
        props.put(
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterProcessingHandler.class.getName());
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, deadLetterTopic());
        props.put(
                DeadLetterDeserializationHandler.GLOBAL_TOPICS_CONFIG,
                Topics.INTENT_EMBEDDINGS.withPrefix(topicPrefix()).name());
        props.put(DeadLetterRecords.MAX_BYTES_CONFIG, deadLetterMaxBytes());
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        // Embedding a large intent in one record can take seconds; the 10 s default would abort it.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), 60_000);
        // A commit after every batch starts the next transaction while the coordinator may still be
        // writing the last one's markers; it answers CONCURRENT_TRANSACTIONS and the producer
        // retries
        // after retry.backoff.ms, whose 100 ms default showed up as 100 ms commits and latency
        // spikes.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 10L);
        // Punctuations run between polls: a poll that blocks for the default 100 ms would keep a
        // partly filled batch waiting well past batch.max.wait.ms when traffic is light.
        props.put(StreamsConfig.POLL_MS_CONFIG, Math.min(100L, batchMaxWaitMs()));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, defaultStreamThreads());
        props.putAll(originalsWithPrefix(STREAMS_PREFIX));
        props.putAll(extra);
        return props;
    }

    /** The dead-letter topic's full name. */
    public String deadLetterTopic() {
        return Topics.DEAD_LETTERS.withPrefix(topicPrefix()).name();
    }

    /** The keys and defaults as a Markdown table, e.g. for the README. */
    public static String toMarkdownTable() {
        StringBuilder out =
                new StringBuilder("| key | type | default | doc |\n|---|---|---|---|\n");
        for (ConfigDef.ConfigKey key : CONFIG.configKeys().values()) {
            out.append("| `")
                    .append(key.name)
                    .append("` | ")
                    .append(key.type.name().toLowerCase())
                    .append(" | `")
                    .append(key.defaultValue)
                    .append("` | ")
                    .append(key.documentation)
                    .append(" |\n");
        }
        return out.toString();
    }
}
