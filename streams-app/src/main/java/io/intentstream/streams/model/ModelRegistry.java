package io.intentstream.streams.model;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model version this instance serves. Readers {@link #acquire()} a lease per batch, so one
 * batch is embedded and matched with one version from start to end; {@link #swap} replaces the
 * current model atomically and closes the old one once the last lease on it is released.
 *
 * <p>One registry per service instance; it is shared by every stream thread and the HTTP endpoint.
 */
public final class ModelRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

    private final AtomicReference<ServingModel> current;
    private final AtomicReference<ServingModel> staged = new AtomicReference<>();
    private final Consumer<String> onVersion;
    private volatile String previousVersion;

    public ModelRegistry(ServingModel initial) {
        this(initial, v -> {});
    }

    /**
     * @param onVersion told the version in use at start and after every swap (e.g. a metric)
     */
    public ModelRegistry(ServingModel initial, Consumer<String> onVersion) {
        this.current = new AtomicReference<>(initial);
        this.onVersion = onVersion;
        onVersion.accept(initial.version());
    }

    /** The version in use: one volatile read. */
    public String currentVersion() {
        return current.get().version();
    }

    /** The version served before the current one, or null before the first swap. */
    public String previousVersion() {
        return previousVersion;
    }

    /**
     * Announces the model that will be swapped in next, so that the catalog is embedded for its
     * version too before the swap; queries keep using the current model until {@link #swap}.
     */
    public void stage(ServingModel candidate) {
        ServingModel previous = staged.getAndSet(candidate);
        log.info("Staged model {} (current {})", candidate.version(), currentVersion());
        if (previous != null && previous != candidate) {
            previous.release();
        }
    }

    /** Withdraws {@code candidate} if it is the staged model, and closes it. */
    public void unstage(ServingModel candidate) {
        if (staged.compareAndSet(candidate, null)) {
            log.info("Unstaged model {}", candidate.version());
            candidate.release();
        }
    }

    /** The staged model's version, or null. */
    public String stagedVersion() {
        ServingModel s = staged.get();
        return s == null ? null : s.version();
    }

    /** A lease on the staged model, or null when none is staged. */
    public ServingModel.Lease acquireStaged() {
        ServingModel s = staged.get();
        return s != null && s.tryRetain() ? new ServingModel.Lease(s) : null;
    }

    /** A lease on the current model; close it when the batch is done. */
    public ServingModel.Lease acquire() {
        while (true) {
            ServingModel model = current.get();
            if (model.tryRetain()) {
                return new ServingModel.Lease(model);
            }
            if (current.get() == model) {
                throw new IllegalStateException("the model registry is closed");
            }
        }
    }

    /**
     * Makes {@code next} the current model; the previous one is closed when its last lease ends.
     * The caller has validated {@code next} and made sure the catalog is embedded for its version.
     */
    public void swap(ServingModel next) {
        staged.compareAndSet(next, null);
        ServingModel previous = current.getAndSet(next);
        if (!previous.version().equals(next.version())) {
            previousVersion = previous.version();
        }
        log.info("Swapped model {} -> {}", previous.version(), next.version());
        onVersion.accept(next.version());
        previous.release();
    }

    @Override
    public void close() {
        ServingModel s = staged.getAndSet(null);
        if (s != null) {
            s.release();
        }
        current.get().release();
    }
}
