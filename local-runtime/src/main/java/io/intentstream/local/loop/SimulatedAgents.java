package io.intentstream.local.loop;

import io.intentstream.avro.FeedbackOutcome;
import io.intentstream.avro.IntentMatch;
import io.intentstream.avro.MatchFeedback;
import io.intentstream.local.service.LocalService;
import io.intentstream.schemas.Topic;
import io.intentstream.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Agents who look at every match and fallback of the service, on a thread of their own, and confirm
 * it or correct it to the true intent of its query; queries whose truth is unknown are left alone.
 */
final class SimulatedAgents implements AutoCloseable {

    private final KafkaConsumer<String, IntentMatch> matches;
    private final KafkaProducer<String, MatchFeedback> feedback;
    private final Topic<String, MatchFeedback> feedbackTopic;
    private final Map<String, String> truth;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile Throwable failure;

    /**
     * @param truth query id to true intent id; read as the agents go, so it may grow meanwhile
     */
    SimulatedAgents(LocalService service, Map<String, String> truth) {
        this.truth = truth;
        Topic<String, IntentMatch> matchTopic = service.topic(Topics.MATCHES);
        Topic<String, IntentMatch> fallbackTopic = service.topic(Topics.FALLBACKS);
        this.feedbackTopic = service.topic(Topics.FEEDBACK);
        Map<String, Object> c = new HashMap<>(service.clientConfig());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "demo-loop-agents");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.matches =
                new KafkaConsumer<>(
                        c, new StringDeserializer(), matchTopic.valueSerde().deserializer());
        matches.subscribe(List.of(matchTopic.name(), fallbackTopic.name()));
        Map<String, Object> p = new HashMap<>(service.clientConfig());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.feedback =
                new KafkaProducer<>(
                        p, new StringSerializer(), feedbackTopic.valueSerde().serializer());
        this.thread = new Thread(this::work, "demo-agents");
        thread.setDaemon(true);
        thread.start();
    }

    private void work() {
        try {
            while (running.get()) {
                for (ConsumerRecord<String, IntentMatch> r : matches.poll(Duration.ofMillis(200))) {
                    String right = truth.get(r.key());
                    if (right == null || r.value() == null) {
                        continue;
                    }
                    String chosen =
                            r.value().getChosenIntentId() == null
                                    ? null
                                    : r.value().getChosenIntentId().toString();
                    MatchFeedback f =
                            MatchFeedback.newBuilder()
                                    .setQueryId(r.key())
                                    .setOutcome(
                                            right.equals(chosen)
                                                    ? FeedbackOutcome.CONFIRMED
                                                    : FeedbackOutcome.CORRECTED)
                                    .setIntentId(right)
                                    .setSource("agent:demo")
                                    .setTimestamp(Instant.now())
                                    .build();
                    feedback.send(new ProducerRecord<>(feedbackTopic.name(), r.key(), f));
                }
                matches.commitAsync();
            }
        } catch (RuntimeException e) {
            if (running.get()) {
                failure = e;
            }
        }
    }

    /** The error that stopped the agents, if any. */
    Throwable failure() {
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(10_000);
        matches.close();
        feedback.close();
    }
}
