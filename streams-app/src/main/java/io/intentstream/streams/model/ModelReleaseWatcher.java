package io.intentstream.streams.model;

import io.intentstream.avro.ModelRelease;
import io.intentstream.schemas.Topic;
import io.intentstream.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the models topic on every instance (no consumer group: each instance reads every release)
 * and hands the release in service to the {@link ModelSwapper}: on start the most recently
 * published one, then each new one as it arrives. A rollback is a re-publication of an older
 * release, so "most recently published" (record timestamp) decides, not the version name.
 */
public final class ModelReleaseWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelReleaseWatcher.class);

    private final KafkaConsumer<String, ModelRelease> consumer;
    private final ModelSwapper swapper;
    private final Thread thread;
    private volatile boolean running = true;

    public ModelReleaseWatcher(
            Map<String, Object> clientConfig, String topicPrefix, ModelSwapper swapper) {
        Topic<String, ModelRelease> topic = Topics.MODELS.withPrefix(topicPrefix);
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer =
                new KafkaConsumer<>(
                        config, new StringDeserializer(), topic.valueSerde().deserializer());
        this.swapper = swapper;
        this.thread = new Thread(() -> follow(topic.name()), "model-release-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void follow(String topicName) {
        try {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topicName, Duration.ofMinutes(1)).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            ConsumerRecord<String, ModelRelease> latest = null;
            while (running
                    && partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, ModelRelease> r :
                        consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() != null
                            && (latest == null || r.timestamp() >= latest.timestamp())) {
                        latest = r;
                    }
                }
            }
            long latestTimestamp = Long.MIN_VALUE;
            if (latest != null) {
                log.info(
                        "Release in service: {} (published {})",
                        latest.value().getVersion(),
                        latest.timestamp());
                swapper.submit(latest.value());
                latestTimestamp = latest.timestamp();
            }
            while (running) {
                for (ConsumerRecord<String, ModelRelease> r :
                        consumer.poll(Duration.ofSeconds(1))) {
                    if (r.value() == null) {
                        continue;
                    }
                    if (r.timestamp() < latestTimestamp) {
                        log.warn(
                                "Ignoring release {}: published before the one in service",
                                r.value().getVersion());
                        continue;
                    }
                    latestTimestamp = r.timestamp();
                    log.info(
                            "New release {} (parent {})",
                            r.value().getVersion(),
                            r.value().getParentVersion());
                    swapper.submit(r.value());
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            log.error("Following model releases failed; this instance keeps its current model", e);
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
