package io.intentstream.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The dead-letter convention: a dead letter keeps the original key and value bytes, and its headers
 * say why it was rejected and where it came from. Headers never hold the query text.
 *
 * <p>Besides the headers below, a dead letter carries Kafka Streams' own {@code __streams.errors.*}
 * headers (exception class and message, source topic, partition, offset), so tools written for
 * Kafka's built-in dead-letter queue read ours too.
 */
public final class DeadLetters {

    /** Short machine-readable reason, one of the {@code REASON_*} values. */
    public static final String REASON_HEADER = "intentstream.dlq.reason";

    /** A sentence for humans; never contains record content. */
    public static final String DETAIL_HEADER = "intentstream.dlq.detail";

    /** The model version in use when the record was rejected, when one applies. */
    public static final String MODEL_VERSION_HEADER = "intentstream.dlq.model.version";

    /** {@code true} when the dead letter carries a truncated copy of the rejected record. */
    public static final String TRUNCATED_HEADER = "intentstream.dlq.truncated";

    /** The rejected value's size in bytes, on a truncated dead letter. */
    public static final String ORIGINAL_SIZE_HEADER = "intentstream.dlq.original.bytes";

    /** The rejected value's sha256 (hex), on a truncated dead letter. */
    public static final String ORIGINAL_SHA256_HEADER = "intentstream.dlq.original.sha256";

    /** How many of the rejected record's own headers a truncated dead letter left out. */
    public static final String DROPPED_HEADERS_HEADER = "intentstream.dlq.original.headers.dropped";

    public static final String STREAMS_EXCEPTION_HEADER = "__streams.errors.exception";
    public static final String STREAMS_MESSAGE_HEADER = "__streams.errors.message";
    public static final String STREAMS_TOPIC_HEADER = "__streams.errors.topic";
    public static final String STREAMS_PARTITION_HEADER = "__streams.errors.partition";
    public static final String STREAMS_OFFSET_HEADER = "__streams.errors.offset";

    /** The bytes are not Avro single-object encoding (wrong magic bytes, too short). */
    public static final String REASON_BAD_HEADER = "undecodable-header";

    /** The bytes name a writer schema whose fingerprint this process does not know. */
    public static final String REASON_UNKNOWN_SCHEMA = "unknown-writer-schema";

    /** The header is fine but the body does not decode with its writer schema. */
    public static final String REASON_CORRUPT_BODY = "corrupt-body";

    /** A support query whose text is empty or only whitespace. */
    public static final String REASON_EMPTY_TEXT = "empty-text";

    /** A support query whose text is longer than the configured limit. */
    public static final String REASON_TEXT_TOO_LONG = "text-too-long";

    /** A support query without a query id. */
    public static final String REASON_MISSING_ID = "missing-query-id";

    /** Feedback naming an intent that is not in the catalog. */
    public static final String REASON_UNKNOWN_INTENT = "unknown-intent";

    /** Feedback for a query that has no match (never seen, or older than the retention). */
    public static final String REASON_UNKNOWN_QUERY = "unknown-query";

    /** Feedback that contradicts itself, e.g. CORRECTED without an intent. */
    public static final String REASON_INVALID_FEEDBACK = "invalid-feedback";

    /** An intent definition without id or utterances. */
    public static final String REASON_INVALID_INTENT = "invalid-intent";

    /** An unexpected error while processing one record; the safety net. */
    public static final String REASON_PROCESSING_ERROR = "processing-error";

    private DeadLetters() {}

    /** The value of header {@code name} as UTF-8 text, or null when absent. */
    public static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null
                ? null
                : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Adds (replacing any previous value) a UTF-8 text header. */
    public static Headers put(Headers headers, String name, String value) {
        headers.remove(name);
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }
}
