package io.intentstream.streams.model;

import io.intentstream.avro.IntentEmbedding;
import io.intentstream.matching.IntentEmbeddings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Which intents have vectors of a model version in this instance's intent store, and waiting until
 * they do: before a swap (every intent the current version serves must have the new version's
 * vectors) and before a local run replays queries. The wait wakes on each change of the store and
 * looks again at least every {@link #RECHECK}, since a store restored from its topic changes
 * without telling.
 */
public final class CatalogVectors {

    static final Duration RECHECK = Duration.ofSeconds(1);

    private final Supplier<ReadOnlyKeyValueStore<String, IntentEmbedding>> store;
    private final IntentIndexCache changes;
    private final Clock clock;

    /**
     * @param changes told of every write to the store (see {@link IntentIndexCache#invalidate()})
     */
    public CatalogVectors(
            Supplier<ReadOnlyKeyValueStore<String, IntentEmbedding>> store,
            IntentIndexCache changes,
            Clock clock) {
        this.store = store;
        this.changes = changes;
        this.clock = clock;
    }

    /**
     * The intents with all their vectors of {@code version} (every part, of one write).
     *
     * @throws InvalidStateStoreException while Kafka Streams starts or rebalances
     */
    public Set<String> intents(String version) {
        Set<String> ids = new HashSet<>();
        IntentVectorStore.byIntent(store.get(), version)
                .forEach(
                        (intentId, records) -> {
                            if (IntentEmbeddings.assemble(
                                            records.stream().map(kv -> kv.value).toList())
                                    .isPresent()) {
                                ids.add(intentId);
                            }
                        });
        return ids;
    }

    /**
     * Waits until {@code condition} holds for the intents that have vectors of {@code version}
     * (read again on each look, so it may follow the version in service).
     *
     * @return the intents it last saw, and whether the condition held before {@code timeout}
     */
    public Outcome await(
            Supplier<String> version, Predicate<Set<String>> condition, Duration timeout)
            throws InterruptedException {
        Instant deadline = clock.instant().plus(timeout);
        Set<String> seen = Set.of();
        String looked = version.get();
        while (true) {
            long generation = changes.generation();
            looked = version.get();
            try {
                seen = intents(looked);
                if (condition.test(seen)) {
                    return new Outcome(looked, seen, true);
                }
            } catch (InvalidStateStoreException e) {
                // Not queryable while Kafka Streams starts or rebalances; look again.
            }
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                return new Outcome(looked, seen, false);
            }
            changes.awaitChange(generation, Math.min(left.toMillis() + 1, RECHECK.toMillis()));
        }
    }

    /**
     * What a wait saw last.
     *
     * @param version the version it looked at
     * @param intents the intents with vectors of that version
     * @param reached whether the condition held
     */
    public record Outcome(String version, Set<String> intents, boolean reached) {}
}
