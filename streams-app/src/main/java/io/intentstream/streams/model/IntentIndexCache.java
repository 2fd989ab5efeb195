package io.intentstream.streams.model;

import io.intentstream.avro.IntentEmbedding;
import io.intentstream.matching.IntentEmbeddings;
import io.intentstream.matching.IntentIndex;
import io.intentstream.matching.IntentVectors;
import io.intentstream.matching.SimilarityKernel;
import io.intentstream.schemas.IntentEmbeddingKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-memory {@link IntentIndex} per model version, built from the intent-embeddings store and
 * rebuilt after the store changes. The store's writer calls {@link #invalidate()} after each put;
 * readers on any thread call {@link #get}. One instance per service instance.
 */
public final class IntentIndexCache {

    private static final Logger log = LoggerFactory.getLogger(IntentIndexCache.class);

    private record Entry(long generation, IntentIndex index) {}

    private final SimilarityKernel kernel;
    private final AtomicLong generation = new AtomicLong();
    private final Set<String> invalid = ConcurrentHashMap.newKeySet();
    private final Object changes = new Object();

    /** A cache whose indexes score with the standard kernel, as every evaluator does. */
    public IntentIndexCache() {
        this(SimilarityKernel.standard());
    }

    public IntentIndexCache(SimilarityKernel kernel) {
        this.kernel = kernel;
    }

    private final Map<String, Entry> byVersion = new ConcurrentHashMap<>();

    /** The store changed: every index is rebuilt on its next use, and waiters look again. */
    public void invalidate() {
        generation.incrementAndGet();
        synchronized (changes) {
            changes.notifyAll();
        }
    }

    /** How many times the store has changed; pass it to {@link #awaitChange}. */
    public long generation() {
        return generation.get();
    }

    /**
     * Waits until the store changes after {@code seen} (a {@link #generation()}), or {@code
     * maxMillis} pass.
     */
    public void awaitChange(long seen, long maxMillis) throws InterruptedException {
        long deadline =
                System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(maxMillis);
        synchronized (changes) {
            long left;
            while (generation.get() == seen && (left = deadline - System.nanoTime()) > 0) {
                changes.wait(Math.max(1, left / 1_000_000L));
            }
        }
    }

    /**
     * The index of {@code modelVersion}'s intents, rebuilt from {@code store} if the store changed.
     *
     * @param dimension the model's vector length; entries of another length are skipped with a
     *     warning
     */
    public IntentIndex get(
            String modelVersion,
            int dimension,
            ReadOnlyKeyValueStore<String, IntentEmbedding> store) {
        long gen = generation.get();
        Entry entry = byVersion.get(modelVersion);
        if (entry != null && entry.generation() == gen && entry.index().dimension() == dimension) {
            return entry.index();
        }
        synchronized (this) {
            entry = byVersion.get(modelVersion);
            gen = generation.get();
            if (entry != null
                    && entry.generation() == gen
                    && entry.index().dimension() == dimension) {
                return entry.index();
            }
            IntentIndex index = build(modelVersion, dimension, store, kernel);
            byVersion.put(modelVersion, new Entry(gen, index));
            log.debug(
                    "Rebuilt the intent index of model {}: {} intents, {} vectors",
                    modelVersion,
                    index.size(),
                    index.rows());
            return index;
        }
    }

    /**
     * Keys of the stored vector records that cannot be matched against (see {@link
     * IntentEmbeddings#problem}), as of the latest index builds; empty when all are sound.
     */
    public Set<String> invalidRecords() {
        return Set.copyOf(invalid);
    }

    // A record that cannot be matched against is left out, so that one bad record on the topic
    // costs only its own intent and every other intent keeps matching. An intent whose parts are
    // not all there yet (a write in progress) is left out until they are.
    private IntentIndex build(
            String modelVersion,
            int dimension,
            ReadOnlyKeyValueStore<String, IntentEmbedding> store,
            SimilarityKernel kernel) {
        List<IntentVectors> intents = new ArrayList<>();
        invalid.removeIf(key -> key.startsWith(IntentEmbeddingKey.prefix(modelVersion)));
        for (List<KeyValue<String, IntentEmbedding>> records :
                IntentVectorStore.byIntent(store, modelVersion).values()) {
            Optional<IntentEmbedding> whole = checked(records);
            if (whole.isEmpty()) {
                continue;
            }
            IntentEmbedding e = whole.get();
            if (e.getDimension() != dimension) {
                log.warn(
                        "Skipping intent vectors {}: dimension {} does not fit model {} ({})",
                        records.get(0).key,
                        e.getDimension(),
                        modelVersion,
                        dimension);
                continue;
            }
            intents.add(IntentEmbeddings.vectors(e));
        }
        return IntentIndex.of(dimension, intents, kernel);
    }

    /** The intent's vectors joined, or empty when a record is invalid or a part is missing. */
    private Optional<IntentEmbedding> checked(List<KeyValue<String, IntentEmbedding>> records) {
        for (KeyValue<String, IntentEmbedding> kv : records) {
            Optional<String> problem = IntentEmbeddings.problem(kv.key, kv.value);
            if (problem.isPresent()) {
                if (invalid.add(kv.key)) {
                    log.warn("Leaving out intent vectors {}: {}", kv.key, problem.get());
                }
                return Optional.empty();
            }
        }
        Optional<IntentEmbedding> whole =
                IntentEmbeddings.assemble(records.stream().map(kv -> kv.value).toList());
        if (whole.isPresent() && whole.get().getExemplars() > IntentEmbeddings.rows(whole.get())) {
            if (invalid.add(records.get(0).key)) {
                log.warn(
                        "Leaving out intent vectors {}: {} exemplars among {} vectors",
                        records.get(0).key,
                        whole.get().getExemplars(),
                        IntentEmbeddings.rows(whole.get()));
            }
            return Optional.empty();
        }
        return whole;
    }
}
