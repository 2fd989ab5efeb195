package io.intentstream.trainer.job;

import io.intentstream.avro.IntentDefinition;
import io.intentstream.avro.TrainingExample;
import io.intentstream.schemas.Topic;
import io.intentstream.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves new training examples and catalog changes from Kafka into the {@link TrainingSetStore}.
 * Examples are read in a consumer group and their offsets committed only after the store wrote
 * them, so a crash re-reads (and the store deduplicates by query id) rather than loses. The
 * compacted intents topic is read whole on every start, without a group.
 */
public final class ExampleIngestor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExampleIngestor.class);

    private final TrainingSetStore store;
    private final KafkaConsumer<String, TrainingExample> examples;
    private final KafkaConsumer<String, IntentDefinition> intents;
    private final Duration pollTimeout;
    private final Map<TopicPartition, Long> catalogEnd;
    private boolean catalogCaughtUp;

    public ExampleIngestor(
            Map<String, Object> clientConfig,
            String groupId,
            String topicPrefix,
            TrainingSetStore store,
            Duration pollTimeout) {
        this.store = store;
        this.pollTimeout = pollTimeout;
        Topic<String, TrainingExample> exampleTopic =
                Topics.TRAINING_EXAMPLES.withPrefix(topicPrefix);
        Topic<String, IntentDefinition> intentTopic = Topics.INTENTS.withPrefix(topicPrefix);

        this.examples =
                new KafkaConsumer<>(
                        exampleConsumerConfig(clientConfig, groupId),
                        new StringDeserializer(),
                        exampleTopic.valueSerde().deserializer());
        examples.subscribe(List.of(exampleTopic.name()));

        Map<String, Object> plain = new HashMap<>(clientConfig);
        plain.remove(ConsumerConfig.GROUP_ID_CONFIG);
        plain.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        plain.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.intents =
                new KafkaConsumer<>(
                        plain, new StringDeserializer(), intentTopic.valueSerde().deserializer());
        List<TopicPartition> partitions =
                intents.partitionsFor(intentTopic.name(), Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .toList();
        intents.assign(partitions);
        intents.seekToBeginning(partitions);
        this.catalogEnd = intents.endOffsets(partitions);
    }

    /**
     * The examples consumer's settings. A training run does not poll for as long as it lasts (many
     * minutes on a CPU), so unless {@code kafka.max.poll.interval.ms} says otherwise the group
     * allows a day between polls: with Kafka's 5-minute default it would evict the trainer in the
     * middle of every long run and rebalance on its return. A dead process is still noticed by the
     * heartbeat's session timeout.
     */
    static Map<String, Object> exampleConsumerConfig(
            Map<String, Object> clientConfig, String groupId) {
        Map<String, Object> grouped = new HashMap<>(clientConfig);
        grouped.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        grouped.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        grouped.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        grouped.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        grouped.putIfAbsent(
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Duration.ofDays(1).toMillis());
        return grouped;
    }

    /**
     * Whether the catalog has been read up to where the intents topic ended when this ingestor
     * started. Until then the stored catalog may lack intents that the stored examples name.
     */
    public boolean catalogCaughtUp() {
        return catalogCaughtUp;
    }

    /**
     * Polls once and stores what arrived.
     *
     * @return the number of new examples stored
     */
    public int pollOnce() {
        Map<String, IntentDefinition> catalogChanges = new LinkedHashMap<>();
        for (ConsumerRecord<String, IntentDefinition> r : intents.poll(Duration.ZERO)) {
            if (r.key() != null) {
                catalogChanges.put(r.key(), r.value());
            }
        }
        if (!catalogCaughtUp) {
            catalogCaughtUp = catalogRead();
        }
        ConsumerRecords<String, TrainingExample> records = examples.poll(pollTimeout);
        List<TrainingExample> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<String, TrainingExample> r : records) {
            if (r.value() == null || r.value().getText() == null || r.value().getText().isBlank()) {
                log.warn(
                        "Skipping an empty training example at {}-{}@{}",
                        r.topic(),
                        r.partition(),
                        r.offset());
                continue;
            }
            batch.add(r.value());
        }
        if (!batch.isEmpty() || !catalogChanges.isEmpty()) {
            store.write(batch, catalogChanges);
        }
        if (!records.isEmpty()) {
            examples.commitSync();
            log.debug(
                    "Stored {} training examples and {} catalog changes",
                    batch.size(),
                    catalogChanges.size());
        }
        return batch.size();
    }

    private boolean catalogRead() {
        try {
            return catalogEnd.entrySet().stream()
                    .allMatch(e -> intents.position(e.getKey(), Duration.ZERO) >= e.getValue());
        } catch (TimeoutException e) {
            // A position not known yet (e.g. the broker is away): ask again after the next poll
            // rather than block.
            return false;
        }
    }

    @Override
    public void close() {
        examples.close();
        intents.close();
    }
}
