package io.intentstream.streams.model;

import ai.djl.Device;
import io.intentstream.avro.ModelRelease;
import io.intentstream.encoder.DjlSentenceEncoder;
import io.intentstream.encoder.EncoderOptions;
import io.intentstream.encoder.ModelDirectory;
import io.intentstream.encoder.SentenceEncoder;
import io.intentstream.encoder.SentenceModel;
import io.intentstream.encoder.TimeLimitedEncoder;
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
    private final Duration encoderTimeout;
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
            Duration encoderTimeout,
            ReleaseTrust trust,
            MeterRegistry meters) {
        this.registry = registry;
        this.trust = trust;
        this.encoderTimeout = encoderTimeout;
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

    /**
     * Takes {@code release} as the model in service at once, before the stream starts: an instance
     * that starts after a release serves it from its first query, neither re-embedding the catalog
     * with its base model nor touching the release's vectors. The release is checked as a swap
     * checks it, except for the catalog, whose vectors the trainer published with it.
     *
     * @return whether it is now in service
     */
    public boolean adopt(ModelRelease release) {
        String current = registry.currentVersion();
        try {
            registry.swap(prepare(release));
            swapped.increment();
            log.info("Starting on release {} (instead of {})", release.getVersion(), current);
            return true;
        } catch (SwapFailure e) {
            fail(release.getVersion(), current, e.reason, e.getMessage(), e.getCause());
        } catch (Exception e) {
            fail(release.getVersion(), current, "error", e.toString(), e);
        }
        return false;
    }

    private boolean apply(ModelRelease release) {
        String version = release.getVersion();
        String current = registry.currentVersion();
        // Trust first: an untrusted record naming the version in service must not count as
        // accepted.
        Optional<ReleaseTrust.Refusal> refusal = trust.check(release);
        if (refusal.isPresent()) {
            fail(version, current, refusal.get().reason(), refusal.get().message(), null);
            return false;
        }
        if (version.equals(current)) {
            log.debug("Release {} is already in service", version);
            return true;
        }
        try {
            ServingModel next = prepare(release);
            // Staged, the catalog processor embeds intents the release has no vectors for (added
            // since it was published) and keeps the release's own.
            registry.stage(next);
            try {
                awaitCatalog(version);
            } catch (SwapFailure | InterruptedException | RuntimeException e) {
                registry.unstage(next);
                throw e;
            }
            registry.swap(next);
            swapped.increment();
            log.info("Model {} in service (was {})", version, current);
            return true;
        } catch (SwapFailure e) {
            fail(version, current, e.reason, e.getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(version, current, "error", "interrupted", e);
        } catch (Exception e) {
            fail(version, current, "error", e.toString(), e);
        }
        return false;
    }

    /** The release's model, trusted, verified, loaded and past the canary; the caller owns it. */
    private ServingModel prepare(ModelRelease release) throws SwapFailure {
        Optional<ReleaseTrust.Refusal> refusal = trust.check(release);
        if (refusal.isPresent()) {
            throw new SwapFailure(refusal.get().reason(), refusal.get().message(), null);
        }
        Path dir = modelDir(release);
        String sha;
        try {
            sha = ModelDirectory.sha256(dir.resolve(ModelDirectory.WEIGHTS_FILE));
        } catch (Exception e) {
            throw new SwapFailure("missing", "cannot read the weights in " + dir, e);
        }
        if (!sha.equalsIgnoreCase(release.getSha256())) {
            throw new SwapFailure(
                    "sha256",
                    "weights have sha256 " + sha + ", the release says " + release.getSha256(),
                    null);
        }
        SentenceModel model;
        try {
            model = new ModelDirectory().load(dir, device);
        } catch (Exception e) {
            throw new SwapFailure("load", "cannot load " + dir + ": " + e.getMessage(), e);
        }
        SentenceEncoder encoder =
                new TimeLimitedEncoder(
                        new DjlSentenceEncoder(model, encoderOptions), encoderTimeout);
        int neighbours =
                release.getNeighbours() != null ? release.getNeighbours() : defaultNeighbours;
        ServingModel next =
                new ServingModel(
                        release.getVersion(), encoder, model, thresholds(release), neighbours);
        try {
            int expected;
            try (ServingModel.Lease lease = registry.acquire()) {
                expected = lease.model().dimension();
            }
            ModelCanary.check(encoder, expected);
            return next;
        } catch (RuntimeException e) {
            next.discard();
            throw new SwapFailure("canary", "canary failed: " + e.getMessage(), e);
        }
    }

    private void fail(
            String version, String current, String reason, String message, Throwable cause) {
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
