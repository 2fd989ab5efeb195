package io.intentstream.streams.model;

import ai.djl.Device;
import io.intentstream.avro.ModelRelease;
import io.intentstream.encoder.DjlSentenceEncoder;
import io.intentstream.encoder.EncoderOptions;
import io.intentstream.encoder.ModelDirectory;
import io.intentstream.encoder.SentenceModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a released model into service on one background thread, in order: resolve the model
 * directory, check the weights' sha256 against the release, load, run the {@link ModelCanary}, wait
 * until the intent store holds the new version's vectors for every intent the current version
 * serves, then {@link ModelRegistry#swap} atomically. Batches already running finish on the old
 * model, which closes when its last lease ends.
 *
 * <p>On any failure the instance keeps serving the current model, logs why at ERROR and counts it
 * in {@code intentstream.model.swaps{outcome=failed,reason=...}}.
 */
public final class ModelSwapper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelSwapper.class);

    private final ModelRegistry registry;
    private final CatalogVectors catalog;
    private final ReleaseTrust trust;
    private final Device device;
    private final EncoderOptions encoderOptions;
    private final int defaultNeighbours;
    private final Duration catalogTimeout;
    private final MeterRegistry meters;
    private final Counter swapped;
    private final ExecutorService executor =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(r, "model-swapper");
                        t.setDaemon(true);
                        return t;
                    });

    /** Why a release was refused. */
    static final class SwapFailure extends Exception {
        final String reason;

        SwapFailure(String reason, String message, Throwable cause) {
            super(message, cause);
            this.reason = reason;
        }
    }

    /**
     * @param defaultNeighbours how a release that names no scoring is scored (the service's {@code
     *     matcher.neighbours})
     */
    public ModelSwapper(
            ModelRegistry registry,
            CatalogVectors catalog,
            Device device,
            EncoderOptions encoderOptions,
            int defaultNeighbours,
            Duration catalogTimeout,
            ReleaseTrust trust,
            MeterRegistry meters) {
        this.registry = registry;
        this.trust = trust;
        this.catalog = catalog;
        this.device = device;
        this.encoderOptions = encoderOptions;
        this.defaultNeighbours = defaultNeighbours;
        this.catalogTimeout = catalogTimeout;
        this.meters = meters;
        this.swapped =
                Counter.builder("intentstream.model.swaps")
                        .tag("outcome", "swapped")
                        .tag("reason", "none")
                        .description("Model releases swapped in or refused")
                        .register(meters);
    }

    /**
     * Queues {@code release}; the future completes with whether it now serves (false: refused, old
     * model kept).
     */
    public CompletableFuture<Boolean> submit(ModelRelease release) {
        return CompletableFuture.supplyAsync(() -> apply(release), executor);
    }

    /** Number of refused releases with {@code reason}, for tests and the health view. */
    public double failures(String reason) {
        Counter c =
                meters.find("intentstream.model.swaps")
                        .tag("outcome", "failed")
                        .tag("reason", reason)
                        .counter();
        return c == null ? 0 : c.count();
    }

    private boolean apply(ModelRelease release) {
        String version = release.getVersion();
        String current = registry.currentVersion();
        // Trust first: an untrusted record naming the version in service must not count as
        // accepted.
        Optional<ReleaseTrust.Refusal> refusal = trust.check(release);
        if (refusal.isPresent()) {
            fail(version, current, refusal.get().reason(), refusal.get().message(), null, null);
            return false;
        }
        if (version.equals(current)) {
            log.debug("Release {} is already in service", version);
            return true;
        }
        SentenceModel model = null;
        try {
            Path dir = modelDir(release);
            String sha = ModelDirectory.sha256(dir.resolve(ModelDirectory.WEIGHTS_FILE));
            if (!sha.equalsIgnoreCase(release.getSha256())) {
                throw new SwapFailure(
                        "sha256",
                        "weights have sha256 " + sha + ", the release says " + release.getSha256(),
                        null);
            }
            try {
                model = new ModelDirectory().load(dir, device);
            } catch (Exception e) {
                throw new SwapFailure("load", "cannot load " + dir + ": " + e.getMessage(), e);
            }
            DjlSentenceEncoder encoder = new DjlSentenceEncoder(model, encoderOptions);
            int neighbours =
                    release.getNeighbours() != null ? release.getNeighbours() : defaultNeighbours;
            ServingModel next =
                    new ServingModel(version, encoder, model, thresholds(release), neighbours);
            try {
                int expected;
                try (ServingModel.Lease lease = registry.acquire()) {
                    expected = lease.model().dimension();
                }
                try {
                    ModelCanary.check(encoder, expected);
                } catch (RuntimeException e) {
                    throw new SwapFailure("canary", "canary failed: " + e.getMessage(), e);
                }
                awaitCatalog(version);
            } catch (SwapFailure | RuntimeException e) {
                encoder.close();
                throw e;
            }
            registry.swap(next);
            swapped.increment();
            log.info("Model {} in service (was {}), from {}", version, current, dir);
            return true;
        } catch (SwapFailure e) {
            fail(version, current, e.reason, e.getMessage(), e.getCause(), model);
        } catch (Exception e) {
            fail(version, current, "error", e.toString(), e, model);
        }
        return false;
    }

    private void fail(
            String version,
            String current,
            String reason,
            String message,
            Throwable cause,
            SentenceModel model) {
        if (model != null) {
            model.close();
        }
        Counter.builder("intentstream.model.swaps")
                .tag("outcome", "failed")
                .tag("reason", reason)
                .description("Model releases swapped in or refused")
                .register(meters)
                .increment();
        log.error(
                "Refused model {} ({}): {}; keeping model {}",
                version,
                reason,
                message,
                current,
                cause);
    }

    private static Map<String, Float> thresholds(ModelRelease release) {
        Map<String, Float> out = new HashMap<>();
        release.getThresholds().forEach((k, v) -> out.put(k.toString(), v));
        return out;
    }

    private Path modelDir(ModelRelease release) throws SwapFailure {
        Path dir;
        try {
            dir = trust.modelDir(release);
        } catch (ReleaseTrust.RefusedReleaseException e) {
            throw new SwapFailure(e.reason(), e.getMessage(), null);
        }
        if (!ReleaseTrust.hasWeights(dir)) {
            throw new SwapFailure(
                    "missing", "no " + ModelDirectory.WEIGHTS_FILE + " in " + dir, null);
        }
        return dir;
    }

    /** Waits until every intent served by the current version has vectors of {@code version}. */
    private void awaitCatalog(String version) throws SwapFailure, InterruptedException {
        CatalogVectors.Outcome outcome =
                catalog.await(
                        () -> version,
                        ids -> ids.containsAll(catalog.intents(registry.currentVersion())),
                        catalogTimeout);
        if (!outcome.reached()) {
            Set<String> missing = new HashSet<>(catalog.intents(registry.currentVersion()));
            missing.removeAll(outcome.intents());
            throw new SwapFailure(
                    "catalog",
                    "the catalog is not embedded for "
                            + version
                            + " after "
                            + catalogTimeout
                            + " ("
                            + missing.size()
                            + " intents missing)",
                    null);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
