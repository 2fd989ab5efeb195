package io.intentstream.streams.app;

import io.intentstream.avro.IntentEmbedding;
import io.intentstream.encoder.DeviceChoice;
import io.intentstream.encoder.DjlSentenceEncoder;
import io.intentstream.encoder.ModelLoader;
import io.intentstream.encoder.SentenceModel;
import io.intentstream.encoder.TimeLimitedEncoder;
import io.intentstream.encoder.TorchThreads;
import io.intentstream.streams.config.IntentStreamConfig;
import io.intentstream.streams.http.HttpEndpoint;
import io.intentstream.streams.http.IntentLookup;
import io.intentstream.streams.metrics.ServiceMetrics;
import io.intentstream.streams.model.CatalogVectors;
import io.intentstream.streams.model.IntentIndexCache;
import io.intentstream.streams.model.ModelRegistry;
import io.intentstream.streams.model.ModelReleaseWatcher;
import io.intentstream.streams.model.ModelSwapper;
import io.intentstream.streams.model.ReleaseTrust;
import io.intentstream.streams.model.ServingModel;
import io.intentstream.streams.topology.IntentTopology;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running service instance: the model registry, the Kafka Streams topology, the HTTP endpoint
 * and the metrics, wired together. It holds no logic of its own.
 *
 * <p>Lifecycle: {@link #start(IntentStreamConfig)} (or {@link #start(IntentStreamConfig,
 * SentenceModel)} with a model the caller keeps) builds the topology, starts Kafka Streams (which
 * returns at once; use {@link #awaitRunning(Duration)}) and the HTTP endpoint; {@link #close()}
 * stops them in reverse order and is idempotent. The topics must exist (see {@link TopicSetup}).
 */
public final class IntentStreamApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IntentStreamApp.class);

    private final IntentStreamConfig config;
    private final ModelRegistry models;
    private final PrometheusMeterRegistry prometheus;
    private final ServiceMetrics metrics;
    private final IntentIndexCache indexCache;
    private final InstanceFailure failure = new InstanceFailure();
    private final CatalogVectors catalogVectors;
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final IntentLookup lookup;
    private final HttpEndpoint http;
    private final ModelSwapper swapper;
    private final ModelReleaseWatcher releaseWatcher;
    private final CountDownLatch runningOrStopped = new CountDownLatch(1);
    private boolean closed;

    private IntentStreamApp(IntentStreamConfig config, SentenceModel model, boolean ownsModel) {
        this.config = config;
        // Before the stream threads start: each takes the setting up at its first encoder call.
        applyIntraOpThreads(config);
        this.prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // RocksDB metrics of key-value and window stores share names with different tag keys, which
        // Prometheus refuses.
        prometheus.config().meterFilter(MeterFilter.denyNameStartsWith("kafka.stream.state"));
        this.metrics = new ServiceMetrics(prometheus);
        new JvmMemoryMetrics().bindTo(prometheus);
        AutoCloseable modelResources = ownsModel ? model : () -> {};
        this.models =
                new ModelRegistry(
                        new ServingModel(
                                model.version(),
                                new TimeLimitedEncoder(
                                        new DjlSentenceEncoder(model, config.encoderOptions()),
                                        config.encoderTimeout()),
                                modelResources,
                                Map.of(),
                                config.neighbours()),
                        metrics::modelVersion);
        this.indexCache = new IntentIndexCache();
        this.catalogVectors = new CatalogVectors(this::intentStore, indexCache, Clock.systemUTC());
        Map<String, Object> extra = new HashMap<>();
        extra.put(ServiceMetrics.CONFIG_KEY, metrics);
        Properties props = config.streamsProperties(extra);
        if (config.modelReleasesEnabled()) {
            this.swapper =
                    new ModelSwapper(
                            models,
                            catalogVectors,
                            DeviceChoice.parse(config.modelDevice()).resolve(),
                            config.encoderOptions(),
                            config.neighbours(),
                            Duration.ofMillis(config.modelSwapCatalogTimeoutMs()),
                            config.encoderTimeout(),
                            new ReleaseTrust(config.modelStoreDir(), config.releaseSigningKey()),
                            prometheus);
            this.releaseWatcher =
                    new ModelReleaseWatcher(consumerConfig(props), config.topicPrefix(), swapper);
            // Before the stream starts: an instance starting after a release serves it at once.
            releaseWatcher.catchUp(swapper::adopt, Duration.ofMinutes(1));
        } else {
            this.swapper = null;
            this.releaseWatcher = null;
        }
        Topology topology = IntentTopology.build(config, models, indexCache, metrics);
        this.streams = new KafkaStreams(topology, props);
        streams.setUncaughtExceptionHandler(failure::onUncaughtException);
        streams.setStateListener(
                (now, before) -> {
                    log.info(
                            "Kafka Streams {} -> {} (model {})",
                            before,
                            now,
                            models.currentVersion());
                    failure.onStateChange(now);
                    if (now == KafkaStreams.State.RUNNING || !now.isRunningOrRebalancing()) {
                        runningOrStopped.countDown();
                    }
                });
        this.streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(prometheus);
        this.lookup =
                new IntentLookup(models, indexCache, this::intentStore, config.batchMatcher());
        streams.start();
        if (releaseWatcher != null) {
            releaseWatcher.start();
        }
        HttpEndpoint endpoint = null;
        if (config.httpPort() >= 0) {
            try {
                endpoint =
                        new HttpEndpoint(
                                config.httpHost(),
                                config.httpPort(),
                                lookup,
                                this::health,
                                prometheus);
            } catch (IOException e) {
                close();
                throw new UncheckedIOException(
                        "cannot open the HTTP endpoint on port " + config.httpPort(), e);
            }
        }
        this.http = endpoint;
        log.info(
                "intent-stream started: application {}, model {}, topics {}*, http port {}",
                config.applicationId(),
                models.currentVersion(),
                config.topicPrefix(),
                httpPort());
    }

    /**
     * Sets PyTorch's process-wide intra-op threads as {@code config} asks for on this machine (or
     * leaves PyTorch's default). Threads take it up at their first encoder call, so whoever embeds
     * before the service starts (a benchmark's baseline) calls this first.
     */
    public static void applyIntraOpThreads(IntentStreamConfig config) {
        int intraOp = config.intraOpThreadsFor(Runtime.getRuntime().availableProcessors());
        if (intraOp > 0) {
            TorchThreads.setIntraOp(intraOp);
        }
    }

    /**
     * Loads the model named by {@code model.dir} on {@code model.device} and starts; the app closes
     * the model.
     */
    public static IntentStreamApp start(IntentStreamConfig config) {
        SentenceModel model =
                ModelLoader.load(
                        config.modelDir(), DeviceChoice.parse(config.modelDevice()).resolve());
        try {
            return new IntentStreamApp(config, model, true);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Starts with a model the caller loaded and keeps ownership of (close it after this app). */
    public static IntentStreamApp start(IntentStreamConfig config, SentenceModel model) {
        return new IntentStreamApp(config, model, false);
    }

    public IntentStreamConfig config() {
        return config;
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** Completes with the cause once this instance can no longer process. */
    public CompletableFuture<Throwable> failure() {
        return failure.cause();
    }

    /** Which intents have vectors of a version here, and waiting until they do. */
    public CatalogVectors catalogVectors() {
        return catalogVectors;
    }

    public ModelRegistry models() {
        return models;
    }

    public ServiceMetrics metrics() {
        return metrics;
    }

    /** Swaps in model releases, or null when {@code model.releases.enabled} is false. */
    public ModelSwapper swapper() {
        return swapper;
    }

    /** The consumer settings among the streams properties (bootstrap servers, security). */
    private static Map<String, Object> consumerConfig(Properties props) {
        Map<String, Object> out = new HashMap<>();
        for (String name : org.apache.kafka.clients.consumer.ConsumerConfig.configNames()) {
            if (props.containsKey(name)) {
                out.put(name, props.get(name));
            }
        }
        return out;
    }

    /** The chatbot lookup behind {@code POST /match}. */
    public IntentLookup lookup() {
        return lookup;
    }

    /** The HTTP endpoint's port, or -1 when it is off. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    /** Waits until Kafka Streams is RUNNING; false on timeout or if it failed. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        runningOrStopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    private ReadOnlyKeyValueStore<String, IntentEmbedding> intentStore() {
        return streams.store(
                StoreQueryParameters.fromNameAndType(
                        IntentTopology.INTENT_EMBEDDINGS_STORE,
                        QueryableStoreTypes.keyValueStore()));
    }

    // Degraded, not down: intents whose vectors are broken are left out, every other one matches.
    private HttpEndpoint.Health health() {
        KafkaStreams.State state = streams.state();
        return new HttpEndpoint.Health(
                state.isRunningOrRebalancing(),
                state.name(),
                models.currentVersion(),
                indexCache.invalidRecords().size());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (http != null) {
            http.close();
        }
        if (releaseWatcher != null) {
            releaseWatcher.close();
            swapper.close();
        }
        if (!streams.close(Duration.ofSeconds(30))) {
            // A batch still running keeps its lease, so the model is closed only after it ends.
            log.warn("Kafka Streams did not stop within 30 s; closing the rest anyway");
        }
        streamsMetrics.close();
        models.close();
        prometheus.close();
        log.info("intent-stream stopped");
    }

    /**
     * Runs an instance until the process is stopped.
     *
     * @param args optional: a properties file, then {@code key=value} overrides
     */
    /** The exit status of an instance that stopped because it could not continue. */
    public static final int EXIT_FAILED = 70;

    public static void main(String[] args) throws Exception {
        // Files, then INTENT_STREAM_* environment variables (secrets), then key=value arguments.
        Map<String, String> settings = ServiceSettings.read(args, System.getenv());
        IntentStreamConfig config = new IntentStreamConfig(settings);
        IntentStreamApp app = IntentStreamApp.start(config);
        CompletableFuture<Throwable> stopRequested = new CompletableFuture<>();
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    stopRequested.complete(null);
                                    app.close();
                                },
                                "intent-stream-shutdown"));
        Throwable cause =
                CompletableFuture.anyOf(app.failure(), stopRequested)
                        .thenApply(Throwable.class::cast)
                        .get();
        if (cause != null) {
            log.error("This instance cannot continue; exiting so that it is restarted", cause);
            System.exit(EXIT_FAILED);
        }
    }
}
