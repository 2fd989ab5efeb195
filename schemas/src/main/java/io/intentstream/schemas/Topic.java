package io.intentstream.schemas;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serde;

/**
 * A topic with its key and value serdes and its topic-level settings. Immutable.
 *
 * <p>Topic names are {@code prefix + suffix}; {@link Topics} declares them with the default prefix
 * {@value Topics#DEFAULT_PREFIX}, and {@link #withPrefix(String)} gives the same topic under
 * another prefix (one deployment per prefix, or one per test).
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class Topic<K, V> {

    private final String prefix;
    private final String suffix;
    private final Supplier<Serde<K>> keySerdes;
    private final Supplier<Serde<V>> valueSerdes;
    private final Map<String, String> configs;

    Topic(
            String prefix,
            String suffix,
            Supplier<Serde<K>> keySerdes,
            Supplier<Serde<V>> valueSerdes,
            Map<String, String> configs) {
        this.prefix = Objects.requireNonNull(prefix);
        this.suffix = Objects.requireNonNull(suffix);
        this.keySerdes = keySerdes;
        this.valueSerdes = valueSerdes;
        this.configs = Map.copyOf(configs);
    }

    /** The full topic name. */
    public String name() {
        return prefix + suffix;
    }

    /** The name without its prefix, e.g. {@code queries}. */
    public String suffix() {
        return suffix;
    }

    /** The same topic under another prefix. */
    public Topic<K, V> withPrefix(String newPrefix) {
        return new Topic<>(newPrefix, suffix, keySerdes, valueSerdes, configs);
    }

    /** A new key serde (serdes are cheap; each caller gets its own). */
    public Serde<K> keySerde() {
        return keySerdes.get();
    }

    /** A new value serde. */
    public Serde<V> valueSerde() {
        return valueSerdes.get();
    }

    /** Topic-level settings the topic must be created with, e.g. {@code cleanup.policy=compact}. */
    public Map<String, String> configs() {
        return configs;
    }

    /** Whether the topic is compacted (a table of the latest value per key). */
    public boolean compacted() {
        return "compact".equals(configs.get("cleanup.policy"));
    }

    /** An admin request creating this topic with its settings. */
    public NewTopic newTopic(int partitions, short replicationFactor) {
        return new NewTopic(name(), Optional.of(partitions), Optional.of(replicationFactor))
                .configs(configs);
    }

    @Override
    public String toString() {
        return name();
    }
}
