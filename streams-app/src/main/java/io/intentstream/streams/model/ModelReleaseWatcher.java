package io.intentstream.streams.model;

import io.intentstream.avro.ModelRelease;
import io.intentstream.schemas.Topic;
import io.intentstream.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
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
 * and hands the release in service to the {@link ModelSwapper}: on start the newest one it accepts,
 * then each newer one as it arrives. Newest is the trainer's announcement sequence (a rollback
 * takes the next number too), not the producer's timestamp, which any producer sets; a release the
 * swapper refuses changes nothing, so a refused record cannot hold back later ones.
 */
public final class ModelReleaseWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelReleaseWatcher.class);

    private final Topic<String, ModelRelease> topic;
    private final KafkaConsumer<String, ModelRelease> consumer;
    private final ModelSwapper swapper;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean started;
    // The release in service as this watcher placed it; null before the first accepted one.
    private ConsumerRecord<String, ModelRelease> latest;

    /**
     * Newest first: by the trainer's announcement sequence, then (for releases numbered alike, such
     * as those announced before releases were numbered) by publication time.
     */
    static final Comparator<ConsumerRecord<String, ModelRelease>> LATEST_FIRST =
            Comparator.comparingLong(
                            (ConsumerRecord<String, ModelRelease> r) -> r.value().getSequence())
                    .thenComparingLong(ConsumerRecord::timestamp)
                    .reversed();

    /** A watcher that reads nothing until {@link #catchUp} and {@link #start}. */
    public ModelReleaseWatcher(
            Map<String, Object> clientConfig, String topicPrefix, ModelSwapper swapper) {
        this.topic = Topics.MODELS.withPrefix(topicPrefix);
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer =
                new KafkaConsumer<>(
                        config, new StringDeserializer(), topic.valueSerde().deserializer());
        this.swapper = swapper;
        this.thread = new Thread(this::follow, "model-release-watcher");
        thread.setDaemon(true);
    }

    /**
     * Reads every release published so far and hands them, newest first, to {@code adopt} until it
     * takes one: how an instance starts on the release in service rather than its base model. Call
     * once, before {@link #start}.
     *
     * @return the release adopted, if any
     */
    public Optional<ModelRelease> catchUp(Predicate<ModelRelease> adopt, Duration timeout) {
        List<TopicPartition> partitions =
                consumer.partitionsFor(topic.name(), timeout).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        List<ConsumerRecord<String, ModelRelease>> published = new ArrayList<>();
        while (partitions.stream().anyMatch(tp -> consumer.position(tp, timeout) < end.get(tp))) {
            for (ConsumerRecord<String, ModelRelease> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.value() != null) {
                    published.add(r);
                }
            }
        }
        // The newest release that this instance accepts; a refused one moves nothing.
        published.sort(LATEST_FIRST);
        for (ConsumerRecord<String, ModelRelease> r : published) {
            if (adopt.test(r.value())) {
                latest = r;
                log.info(
                        "Release in service: {} (sequence {})",
                        r.value().getVersion(),
                        r.value().getSequence());
                return Optional.of(r.value());
            }
        }
        return Optional.empty();
    }

    /** Follows releases published from now on, handing each newer one to the swapper. */
    public void start() {
        started = true;
        thread.start();
    }

    private void follow() {
        try {
            while (running) {
                for (ConsumerRecord<String, ModelRelease> r :
                        consumer.poll(Duration.ofSeconds(1))) {
                    if (r.value() == null) {
                        continue;
                    }
                    if (latest != null && LATEST_FIRST.compare(r, latest) >= 0) {
                        log.warn(
                                "Ignoring release {} (sequence {}): not after the one in service"
                                        + " (sequence {})",
                                r.value().getVersion(),
                                r.value().getSequence(),
                                latest.value().getSequence());
                        continue;
                    }
                    log.info(
                            "New release {} (parent {}, sequence {})",
                            r.value().getVersion(),
                            r.value().getParentVersion(),
                            r.value().getSequence());
                    accepted(r);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("Following model releases failed; this instance keeps its current model", e);
        } finally {
            // close() waits on the network; an interrupt from close() of this watcher must not
            // break it off.
            boolean interrupted = Thread.interrupted();
            consumer.close();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // Hands the release to the swapper and waits for its verdict: only an accepted release
    // becomes the one later releases must come after.
    private boolean accepted(ConsumerRecord<String, ModelRelease> r) throws InterruptedException {
        boolean swapped;
        try {
            swapped = swapper.submit(r.value()).get();
        } catch (ExecutionException e) {
            swapped = false;
        }
        if (swapped) {
            latest = r;
        }
        return swapped;
    }

    @Override
    public void close() {
        running = false;
        if (!started) {
            consumer.close(); // never started: no thread owns the consumer
            return;
        }
        consumer.wakeup();
        thread.interrupt(); // a watcher waiting on the swapper's verdict stops waiting
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
