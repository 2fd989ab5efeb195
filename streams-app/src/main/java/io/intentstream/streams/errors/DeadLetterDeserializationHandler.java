package io.intentstream.streams.errors;

import io.intentstream.schemas.DeadLetters;
import io.intentstream.schemas.UndecodableRecordException;
import io.intentstream.streams.metrics.ServiceMetrics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a record that does not deserialize to the dead-letter topic, with the reason of the {@link
 * UndecodableRecordException} in its headers, and lets processing continue. This is Kafka's
 * built-in dead-letter queue ({@code errors.dead.letter.queue.topic.name}) with our reason header
 * added.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

    private static final Logger log =
            LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    /**
     * Comma-separated topics read by the global thread, which has no producer: an undecodable
     * record there is logged, counted and skipped instead of dead-lettered.
     */
    public static final String GLOBAL_TOPICS_CONFIG = "intentstream.global.topics";

    private String deadLetterTopic;
    private Set<String> globalTopics = Set.of();
    private ServiceMetrics metrics = ServiceMetrics.noop();
    private int maxBytes = DeadLetterRecords.DEFAULT_MAX_BYTES;

    @Override
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        deadLetterTopic = topic == null ? null : topic.toString();
        Object global = configs.get(GLOBAL_TOPICS_CONFIG);
        if (global != null && !global.toString().isBlank()) {
            globalTopics = Set.of(global.toString().split(","));
        }
        maxBytes = DeadLetterRecords.maxBytes(configs);
        if (configs.get(ServiceMetrics.CONFIG_KEY) instanceof ServiceMetrics m) {
            metrics = m;
        }
    }

    @Override
    public Response handleError(
            ErrorHandlerContext context,
            ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        String reason =
                exception instanceof UndecodableRecordException u
                        ? u.reason()
                        : DeadLetters.REASON_CORRUPT_BODY;
        metrics.deadLetter(reason);
        if (deadLetterTopic == null
                || deadLetterTopic.isBlank()
                || globalTopics.contains(record.topic())) {
            log.warn(
                    "Undecodable record at {}-{}@{}: {}; record skipped",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    reason);
            return Response.resume();
        }
        log.warn(
                "Undecodable record at {}-{}@{} (task {}): {}; record sent to the dead-letter"
                        + " topic",
                record.topic(),
                record.partition(),
                record.offset(),
                context.taskId(),
                reason);
        String detail = "record does not decode: " + reason;
        return Response.resume(
                List.of(
                        DeadLetterRecords.record(
                                deadLetterTopic,
                                record.key(),
                                record.value(),
                                DeadLetterRecords.headers(
                                        record.headers(),
                                        reason,
                                        detail,
                                        exception,
                                        record.topic(),
                                        record.partition(),
                                        record.offset(),
                                        null),
                                maxBytes)));
    }
}
