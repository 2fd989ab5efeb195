package io.intentstream.streams.errors;

import io.intentstream.schemas.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds dead letters: the original bytes plus the headers of the {@link DeadLetters} convention,
 * never larger than {@link #MAX_BYTES_CONFIG}. A rejected record may be as large as the broker
 * accepts, and a copy of it with our headers added would then exceed what the producer may send,
 * failing the whole instance; beyond the limit a dead letter carries the head of the value, the
 * original's size and sha256, and says so in its headers.
 */
public final class DeadLetterRecords {

    /**
     * The largest dead letter, in bytes of key, value and headers (handed to the exception handlers
     * with the Streams properties).
     */
    public static final String MAX_BYTES_CONFIG = "intentstream.dead.letter.max.bytes";

    /**
     * Half the producer's default {@code max.request.size}: room for batch overhead and headers.
     */
    public static final int DEFAULT_MAX_BYTES = 512 * 1024;

    // Record and header framing that the sizes below leave out, generously.
    private static final int OVERHEAD_BYTES = 128;
    private static final int HEADER_OVERHEAD_BYTES = 16;
    private static final int MAX_KEY_BYTES = 1024;

    /** A dead letter's key, value and headers. */
    public record Letter(byte[] key, byte[] value, Headers headers) {}

    private DeadLetterRecords() {}

    /** The limit in {@code configs}, or the default. */
    public static int maxBytes(Map<String, ?> configs) {
        Object value = configs.get(MAX_BYTES_CONFIG);
        return value == null ? DEFAULT_MAX_BYTES : Integer.parseInt(value.toString().strip());
    }

    /**
     * {@code key}, {@code value} and {@code headers} as they fit in {@code maxBytes}: unchanged
     * when they do; otherwise only this project's headers of the dead letter are kept, the key is
     * cut to 1 KiB and the value to what is left, and the original's size and sha256 are added.
     */
    public static Letter fitted(byte[] key, byte[] value, Headers headers, int maxBytes) {
        if (size(key) + size(value) + size(headers) + OVERHEAD_BYTES <= maxBytes) {
            return new Letter(key, value, headers);
        }
        RecordHeaders kept = new RecordHeaders();
        int dropped = 0;
        for (Header h : headers) {
            if (h.key().startsWith("intentstream.dlq.")
                    || h.key().startsWith("__streams.errors.")) {
                kept.add(h);
            } else {
                dropped++;
            }
        }
        DeadLetters.put(kept, DeadLetters.TRUNCATED_HEADER, "true");
        DeadLetters.put(kept, DeadLetters.ORIGINAL_SIZE_HEADER, String.valueOf(size(value)));
        DeadLetters.put(
                kept, DeadLetters.ORIGINAL_SHA256_HEADER, value == null ? "" : sha256(value));
        DeadLetters.put(kept, DeadLetters.DROPPED_HEADERS_HEADER, String.valueOf(dropped));
        byte[] cutKey =
                key == null ? null : Arrays.copyOf(key, Math.min(key.length, MAX_KEY_BYTES));
        int room = Math.max(0, maxBytes - size(cutKey) - size(kept) - OVERHEAD_BYTES);
        byte[] cutValue = value == null ? null : Arrays.copyOf(value, Math.min(value.length, room));
        return new Letter(cutKey, cutValue, kept);
    }

    private static int size(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static int size(Headers headers) {
        int total = 0;
        for (Header h : headers) {
            total +=
                    h.key().getBytes(StandardCharsets.UTF_8).length
                            + size(h.value())
                            + HEADER_OVERHEAD_BYTES;
        }
        return total;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

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

    /**
     * A dead letter for {@code deadLetterTopic}, fitted to {@code maxBytes}, for the exception
     * handlers' responses.
     */
    public static ProducerRecord<byte[], byte[]> record(
            String deadLetterTopic, byte[] key, byte[] value, Headers headers, int maxBytes) {
        Letter letter = fitted(key, value, headers, maxBytes);
        return new ProducerRecord<>(
                deadLetterTopic, null, null, letter.key(), letter.value(), letter.headers());
    }
}
