package io.intentstream.streams.model;

import io.intentstream.encoder.SentenceEncoder;
import io.intentstream.matching.IntentScore;
import io.intentstream.schemas.IntentEmbeddingKey;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model version being served: its encoder and what to close when it is retired. Reference
 * counted: the {@link ModelRegistry} holds one reference while the model is current, and every
 * {@link Lease} holds one while a batch uses it, so a retired model is closed only once nothing
 * uses it.
 */
public final class ServingModel {

    private static final Logger log = LoggerFactory.getLogger(ServingModel.class);

    private final String version;
    private final SentenceEncoder encoder;
    private final AutoCloseable resources;
    private final Map<String, Float> thresholds;
    private final int neighbours;
    private final AtomicInteger references = new AtomicInteger(1);

    /**
     * A model without fitted thresholds, scored by plain nearest neighbour.
     *
     * @param version the model version; no {@code /} (it prefixes store keys)
     * @param encoder thread-safe encoder of this version
     * @param resources closed (after the encoder) when the model is retired and unused, e.g. the
     *     loaded {@code SentenceModel}; pass {@code () -> {}} when the caller keeps ownership
     */
    public ServingModel(String version, SentenceEncoder encoder, AutoCloseable resources) {
        this(version, encoder, resources, Map.of(), 1);
    }

    /**
     * @param thresholds per-intent fallback thresholds fitted for this version (shipped with its
     *     release); an intent's own threshold in the catalog wins over these
     * @param neighbours how many of an intent's closest examples its score averages under this
     *     version ({@link IntentScore}); the thresholds were fitted on such scores
     */
    public ServingModel(
            String version,
            SentenceEncoder encoder,
            AutoCloseable resources,
            Map<String, Float> thresholds,
            int neighbours) {
        new IntentEmbeddingKey(version, "check"); // validates the version
        this.version = version;
        this.encoder = Objects.requireNonNull(encoder);
        this.resources = Objects.requireNonNull(resources);
        this.thresholds = Map.copyOf(thresholds);
        this.neighbours = IntentScore.requireValid(neighbours);
    }

    /** How many of an intent's closest examples its score averages under this version. */
    public int neighbours() {
        return neighbours;
    }

    /** The fitted threshold of {@code intentId} for this version, or null. */
    public Float fittedThreshold(String intentId) {
        return thresholds.get(intentId);
    }

    public String version() {
        return version;
    }

    public SentenceEncoder encoder() {
        return encoder;
    }

    public int dimension() {
        return encoder.dimension();
    }

    /** Closes a model that was never handed to a registry (e.g. one that failed its canary). */
    void discard() {
        release();
    }

    /** Takes a reference, unless the model is already closed. */
    boolean tryRetain() {
        while (true) {
            int n = references.get();
            if (n <= 0) {
                return false;
            }
            if (references.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void release() {
        if (references.decrementAndGet() == 0) {
            log.info("Closing model {}: retired and no longer in use", version);
            try {
                encoder.close();
                resources.close();
            } catch (Exception e) {
                log.warn("Closing model {} failed", version, e);
            }
        }
    }

    boolean closed() {
        return references.get() <= 0;
    }

    /** A reference to a model for the duration of one use; close it when done. */
    public static final class Lease implements AutoCloseable {
        private final ServingModel model;
        private boolean released;

        Lease(ServingModel model) {
            this.model = model;
        }

        public ServingModel model() {
            return model;
        }

        public String version() {
            return model.version();
        }

        public SentenceEncoder encoder() {
            return model.encoder();
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                model.release();
            }
        }
    }
}
