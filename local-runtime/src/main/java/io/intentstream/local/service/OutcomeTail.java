package io.intentstream.local.service;

import io.intentstream.avro.IntentMatch;
import io.intentstream.schemas.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the matches, fallbacks and dead-letter topics on a thread of its own and hands every
 * committed outcome to a listener. It reads with {@code isolation.level=read_committed}, so it sees
 * exactly what a downstream consumer of an exactly-once service sees, and assigns all partitions
 * itself (no consumer group, no rebalance wait).
 */
public final class OutcomeTail implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutcomeTail.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String matchesTopic;
    private final String fallbacksTopic;
    private final String deadLettersTopic;
    private final Deserializer<IntentMatch> matchDeserializer;
    private final Consumer<Outcome> listener;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    /**
     * Starts following. Returns once every partition has a position, so that anything produced
     * after this call is seen.
     *
     * @param fromBeginning read the topics from their start; otherwise only what comes next
     */
    public OutcomeTail(
            Map<String, Object> clientConfig,
            String matchesTopic,
            String fallbacksTopic,
            String deadLettersTopic,
            Deserializer<IntentMatch> matchDeserializer,
            boolean fromBeginning,
            Consumer<Outcome> listener) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer =
                new KafkaConsumer<>(
                        config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.matchesTopic = matchesTopic;
        this.fallbacksTopic = fallbacksTopic;
        this.deadLettersTopic = deadLettersTopic;
        this.matchDeserializer = matchDeserializer;
        this.listener = listener;
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(matchesTopic, fallbacksTopic, deadLettersTopic)) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
        }
        partitions.forEach(p -> consumer.position(p, Duration.ofSeconds(30)));
        this.thread = new Thread(this::loop, "outcome-tail");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    Outcome outcome = toOutcome(r);
                    if (outcome != null) {
                        listener.accept(outcome);
                    }
                }
            }
        } catch (WakeupException e) {
            // close() was called
        } catch (RuntimeException e) {
            failure = e;
            log.error("stopped following outcomes: {}", e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private Outcome toOutcome(ConsumerRecord<byte[], byte[]> r) {
        long now = System.currentTimeMillis();
        String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        if (r.topic().equals(deadLettersTopic)) {
            Header reason = r.headers().lastHeader(DeadLetters.REASON_HEADER);
            String why =
                    reason == null ? "unknown" : new String(reason.value(), StandardCharsets.UTF_8);
            return new Outcome(key, Outcome.Kind.DEAD_LETTER, null, why, now);
        }
        IntentMatch match = matchDeserializer.deserialize(r.topic(), r.value());
        if (match == null) {
            return null;
        }
        Outcome.Kind kind =
                r.topic().equals(matchesTopic) ? Outcome.Kind.MATCHED : Outcome.Kind.FALLBACK;
        return new Outcome(match.getQueryId().toString(), kind, match, null, now);
    }

    /** The error that stopped the tail, if any. */
    public Throwable failure() {
        return failure;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
