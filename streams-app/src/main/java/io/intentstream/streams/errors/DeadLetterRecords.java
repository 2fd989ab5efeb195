package io.intentstream.streams.errors;

import io.intentstream.schemas.DeadLetters;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds dead letters: the original bytes plus the headers of the {@link DeadLetters} convention.
 */
public final class DeadLetterRecords {

    private DeadLetterRecords() {}

    /**
     * Headers for a dead letter.
     *
     * @param original the rejected record's own headers, kept (may be null)
     * @param reason one of {@code DeadLetters.REASON_*}
     * @param detail a sentence without record content
     * @param error the exception, or null when the record was rejected by validation
     */
    public static Headers headers(
            Headers original,
            String reason,
            String detail,
            Throwable error,
            String topic,
            int partition,
            long offset,
            String modelVersion) {
        Headers headers =
                new RecordHeaders(
                        original == null ? new RecordHeaders().toArray() : original.toArray());
        DeadLetters.put(headers, DeadLetters.REASON_HEADER, reason);
        DeadLetters.put(headers, DeadLetters.DETAIL_HEADER, detail);
        DeadLetters.put(headers, DeadLetters.MODEL_VERSION_HEADER, modelVersion);
        DeadLetters.put(
                headers,
                DeadLetters.STREAMS_EXCEPTION_HEADER,
                error == null ? "none" : error.getClass().getName());
        DeadLetters.put(
                headers,
                DeadLetters.STREAMS_MESSAGE_HEADER,
                error == null ? detail : error.getMessage());
        DeadLetters.put(headers, DeadLetters.STREAMS_TOPIC_HEADER, topic);
        DeadLetters.put(headers, DeadLetters.STREAMS_PARTITION_HEADER, String.valueOf(partition));
        DeadLetters.put(headers, DeadLetters.STREAMS_OFFSET_HEADER, String.valueOf(offset));
        return headers;
    }

    /** A dead letter for {@code deadLetterTopic}, for the exception handlers' responses. */
    public static ProducerRecord<byte[], byte[]> record(
            String deadLetterTopic, byte[] key, byte[] value, Headers headers) {
        return new ProducerRecord<>(deadLetterTopic, null, null, key, value, headers);
    }
}
