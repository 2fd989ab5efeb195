package io.intentstream.local.service;

import io.intentstream.avro.IntentDefinition;
import io.intentstream.encoder.SentenceModel;
import io.intentstream.local.broker.EmbeddedKafka;
import io.intentstream.schemas.Topic;
import io.intentstream.schemas.Topics;
import io.intentstream.streams.app.IntentStreamApp;
import io.intentstream.streams.app.TopicSetup;
import io.intentstream.streams.config.IntentStreamConfig;
import io.intentstream.streams.model.CatalogVectors;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service as the launcher runs it: with no {@code bootstrap.servers} it first starts an
 * in-process single-node broker and creates the topics; then it starts the service and, where
 * asked, loads a catalog. With a cluster configured it only connects (topics are expected to exist,
 * unless asked to create them).
 */
public final class LocalService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalService.class);

    /** How the launcher sets the service up. */
    public record Options(int partitions, boolean createTopics, Path brokerDataDir) {
        public static Options defaults() {
            return new Options(defaultPartitions(), false, null);
        }

        /** One partition per stream thread the service runs by default (see IntentStreamConfig). */
        public static int defaultPartitions() {
            return IntentStreamConfig.defaultStreamThreads();
        }
    }

    private final EmbeddedKafka broker;
    private final IntentStreamConfig config;
    private final IntentStreamApp app;

    private LocalService(EmbeddedKafka broker, IntentStreamConfig config, IntentStreamApp app) {
        this.broker = broker;
        this.config = config;
        this.app = app;
    }

    /**
     * Starts the broker (when none is configured), the topics and the service, which loads its own
     * model.
     */
    public static LocalService start(IntentStreamConfig requested, Options options) {
        return start(requested, options, null);
    }

    /**
     * As {@link #start(IntentStreamConfig, Options)}, serving {@code model} when it is not null
     * (the caller keeps it and closes it after this service).
     */
    public static LocalService start(
            IntentStreamConfig requested, Options options, SentenceModel model) {
        EmbeddedKafka broker = null;
        IntentStreamConfig config = requested;
        try {
            if (requested.bootstrapServers().isBlank()) {
                broker =
                        options.brokerDataDir() == null
                                ? EmbeddedKafka.start()
                                : EmbeddedKafka.start(options.brokerDataDir(), false, Map.of());
                Map<String, Object> overrides = new HashMap<>();
                overrides.put(
                        IntentStreamConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
                // A state directory that outlives its broker would hold offsets of topics that no
                // longer exist.
                String stateDirKey =
                        IntentStreamConfig.STREAMS_PREFIX + StreamsConfig.STATE_DIR_CONFIG;
                if (!requested.originals().containsKey(stateDirKey)) {
                    overrides.put(
                            stateDirKey, broker.dataDir().resolve("streams-state").toString());
                }
                config = requested.with(overrides);
            }
            if (broker != null || options.createTopics()) {
                createTopics(config, options.partitions());
            }
            IntentStreamApp app =
                    model == null
                            ? IntentStreamApp.start(config)
                            : IntentStreamApp.start(config, model);
            return new LocalService(broker, config, app);
        } catch (RuntimeException e) {
            if (broker != null) {
                broker.close();
            }
            throw e;
        }
    }

    /**
     * Creates every topic of the service under the configured prefix, where missing (replication
     * factor 1).
     */
    public static void createTopics(IntentStreamConfig config, int partitions) {
        try (Admin admin = Admin.create(KafkaClients.config(config))) {
            TopicSetup.ensureTopics(admin, config.topicPrefix(), partitions, (short) 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot create the topics on "
                            + config.bootstrapServers()
                            + ": "
                            + e.getCause().getMessage(),
                    e);
        }
    }

    /** The effective configuration (with the in-process broker's address where one was started). */
    public IntentStreamConfig config() {
        return config;
    }

    /** Settings for clients of this service's cluster. */
    public Map<String, Object> clientConfig() {
        return KafkaClients.config(config);
    }

    /** The in-process broker, if one was started. */
    public Optional<EmbeddedKafka> broker() {
        return Optional.ofNullable(broker);
    }

    public IntentStreamApp app() {
        return app;
    }

    /** A topic under this service's prefix. */
    public <K, V> Topic<K, V> topic(Topic<K, V> topic) {
        return topic.withPrefix(config.topicPrefix());
    }

    /**
     * Follows this service's matches, fallbacks and dead letters ({@code read_committed}) into
     * {@code listener}; see {@link OutcomeTail}.
     */
    public OutcomeTail followOutcomes(boolean fromBeginning, Consumer<Outcome> listener) {
        return new OutcomeTail(
                clientConfig(),
                topic(Topics.MATCHES).name(),
                topic(Topics.FALLBACKS).name(),
                topic(Topics.DEAD_LETTERS).name(),
                topic(Topics.MATCHES).valueSerde().deserializer(),
                fromBeginning,
                listener);
    }

    /** Writes intents to the catalog topic. */
    public void loadCatalog(List<IntentDefinition> intents) {
        QueryFeeder.publishCatalog(clientConfig(), topic(Topics.INTENTS), intents);
        log.info("loaded {} intents into {}", intents.size(), topic(Topics.INTENTS).name());
    }

    /**
     * Waits until this instance serves every intent of {@code intentIds} (and, when {@code exact},
     * no other) with the model it runs, i.e. until its global intent-embeddings store, which every
     * match reads, holds their vectors. Returns the model version.
     *
     * @throws IllegalStateException when that does not happen within {@code timeout}
     */
    public String awaitCatalog(Set<String> intentIds, boolean exact, Duration timeout)
            throws InterruptedException {
        CatalogVectors.Outcome outcome =
                app.catalogVectors()
                        .await(
                                () -> app.models().currentVersion(),
                                served ->
                                        exact
                                                ? served.equals(intentIds)
                                                : served.containsAll(intentIds),
                                timeout);
        if (outcome.reached()) {
            return outcome.version();
        }
        throw new IllegalStateException(
                "the catalog of "
                        + intentIds.size()
                        + " intents was not served within "
                        + timeout
                        + " (model "
                        + outcome.version()
                        + " serves "
                        + outcome.intents().size()
                        + ")");
    }

    @Override
    public void close() {
        try {
            app.close();
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }
}
