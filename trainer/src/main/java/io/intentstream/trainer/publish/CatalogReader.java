package io.intentstream.trainer.publish;

import io.intentstream.avro.IntentDefinition;
import io.intentstream.schemas.Topic;
import io.intentstream.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads the whole (compacted) intents topic into the catalog as it stands. */
public final class CatalogReader {

    private CatalogReader() {}

    public static Map<String, IntentDefinition> read(Map<String, Object> clientConfig, String topicPrefix) {
        Topic<String, IntentDefinition> topic = Topics.INTENTS.withPrefix(topicPrefix);
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, IntentDefinition> catalog = new LinkedHashMap<>();
        try (KafkaConsumer<String, IntentDefinition> consumer = new KafkaConsumer<>(config, new StringDeserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, IntentDefinition> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() == null) {
                        continue;
                    }
                    if (r.value() == null) {
                        catalog.remove(r.key());
                    } else {
                        catalog.put(r.key(), r.value());
                    }
                }
            }
        }
        return catalog;
    }
}
