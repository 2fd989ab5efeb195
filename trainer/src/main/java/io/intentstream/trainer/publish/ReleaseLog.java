package io.intentstream.trainer.publish;

import io.intentstream.avro.ModelRelease;
import io.intentstream.schemas.Topic;
import io.intentstream.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The releases announced on the models topic. The one in service is the most recently published
 * (largest record timestamp), which is how a rollback, re-publishing an older version, takes
 * effect.
 */
public final class ReleaseLog {

    /** A release with the time it was published. */
    public record Published(ModelRelease release, long timestamp) {}

    private final Map<String, Published> byVersion;
    private final Published latest;

    private ReleaseLog(Map<String, Published> byVersion, Published latest) {
        this.byVersion = byVersion;
        this.latest = latest;
    }

    /** Reads the whole models topic (committed records only). */
    public static ReleaseLog read(Map<String, Object> clientConfig, String topicPrefix) {
        Topic<String, ModelRelease> topic = Topics.MODELS.withPrefix(topicPrefix);
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, Published> byVersion = new LinkedHashMap<>();
        Published latest = null;
        try (KafkaConsumer<String, ModelRelease> consumer = new KafkaConsumer<>(config, new StringDeserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, ModelRelease> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        continue;
                    }
                    Published p = new Published(r.value(), r.timestamp());
                    byVersion.put(r.value().getVersion(), p);
                    if (latest == null || p.timestamp() >= latest.timestamp()) {
                        latest = p;
                    }
                }
            }
        }
        return new ReleaseLog(byVersion, latest);
    }

    /** The release in service, if any was published. */
    public Optional<ModelRelease> current() {
        return Optional.ofNullable(latest).map(Published::release);
    }

    public boolean announced(String version) {
        return byVersion.containsKey(version);
    }
}
