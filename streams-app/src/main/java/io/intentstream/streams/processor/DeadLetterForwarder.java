package io.intentstream.streams.processor;

import io.intentstream.streams.errors.DeadLetterRecords;
import io.intentstream.streams.metrics.ServiceMetrics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards a rejected record, re-encoded, to the dead-letter sink with the reason in its headers.
 */
final class DeadLetterForwarder {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterForwarder.class);

    private final ProcessorContext<Object, Object> context;
    private final String sinkName;
    private final ServiceMetrics metrics;
    private final int maxBytes;

    DeadLetterForwarder(
            ProcessorContext<Object, Object> context, String sinkName, ServiceMetrics metrics) {
        this.context = context;
        this.sinkName = sinkName;
        this.metrics = metrics;
        this.maxBytes = DeadLetterRecords.maxBytes(context.appConfigs());
    }

    /**
     * @param record the rejected record (its timestamp and headers are kept)
     * @param value the record's value as bytes
     * @param reason one of {@code DeadLetters.REASON_*}
     * @param detail a sentence without record content
     * @param modelVersion the model in use, or null
     */
    void send(
            Record<String, ?> record,
            byte[] value,
            String reason,
            String detail,
            String modelVersion) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse(null);
        int partition = context.recordMetadata().map(RecordMetadata::partition).orElse(-1);
        long offset = context.recordMetadata().map(RecordMetadata::offset).orElse(-1L);
        Headers headers =
                DeadLetterRecords.headers(
                        record.headers(),
                        reason,
                        detail,
                        null,
                        topic,
                        partition,
                        offset,
                        modelVersion);
        byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        DeadLetterRecords.Letter letter = DeadLetterRecords.fitted(key, value, headers, maxBytes);
        context.forward(
                new Record<Object, Object>(
                        letter.key(), letter.value(), record.timestamp(), letter.headers()),
                sinkName);
        metrics.deadLetter(reason);
        log.warn(
                "Record {}-{}@{} (task {}, model {}) rejected: {}; record sent to the dead-letter"
                        + " topic",
                topic,
                partition,
                offset,
                context.taskId(),
                modelVersion,
                reason);
    }
}
