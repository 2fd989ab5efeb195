package io.intentstream.streams.errors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.intentstream.schemas.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeadLetterRecordsTest {

    private static final int MAX = 64 * 1024;

    private static Headers headers(Headers original) {
        return DeadLetterRecords.headers(
                original,
                DeadLetters.REASON_TEXT_TOO_LONG,
                "too long",
                null,
                "t.queries",
                3,
                42L,
                "v1");
    }

    @Test
    void shouldKeepTheRecordWholeWhenItFits() {
        byte[] key = "q1".getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[1000];
        Headers headers = headers(new RecordHeaders());

        DeadLetterRecords.Letter letter = DeadLetterRecords.fitted(key, value, headers, MAX);

        assertSame(value, letter.value());
        assertSame(headers, letter.headers());
        assertNull(letter.headers().lastHeader(DeadLetters.TRUNCATED_HEADER));
    }

    @Test
    void shouldTruncateAndSayHowWhenTheRecordWouldNotFit() throws Exception {
        byte[] key = new byte[5000];
        byte[] value = new byte[1_048_395];
        Arrays.fill(value, (byte) 'x');
        RecordHeaders original = new RecordHeaders();
        for (int i = 0; i < 100; i++) {
            original.add("trace-" + i, new byte[1000]); // a producer's own headers, 100 KB of them
        }

        DeadLetterRecords.Letter letter =
                DeadLetterRecords.fitted(key, value, headers(original), MAX);

        int size = letter.key().length + letter.value().length;
        for (Header h : letter.headers()) {
            size += h.key().length() + (h.value() == null ? 0 : h.value().length);
        }
        assertTrue(size <= MAX, "dead letter of " + size + " bytes");
        assertTrue(letter.value().length > MAX / 2, "most of the room goes to the value's head");
        assertArrayEquals(Arrays.copyOf(value, letter.value().length), letter.value());
        assertEquals(1024, letter.key().length);
        assertEquals("true", header(letter.headers(), DeadLetters.TRUNCATED_HEADER));
        assertEquals("1048395", header(letter.headers(), DeadLetters.ORIGINAL_SIZE_HEADER));
        assertEquals(
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value)),
                header(letter.headers(), DeadLetters.ORIGINAL_SHA256_HEADER));
        assertEquals("100", header(letter.headers(), DeadLetters.DROPPED_HEADERS_HEADER));
        assertEquals(
                DeadLetters.REASON_TEXT_TOO_LONG,
                header(letter.headers(), DeadLetters.REASON_HEADER));
        assertEquals("42", header(letter.headers(), DeadLetters.STREAMS_OFFSET_HEADER));
    }

    @Test
    void shouldReadTheLimitFromTheStreamsPropertiesOrDefault() {
        assertEquals(DeadLetterRecords.DEFAULT_MAX_BYTES, DeadLetterRecords.maxBytes(Map.of()));
        assertEquals(
                8192,
                DeadLetterRecords.maxBytes(Map.of(DeadLetterRecords.MAX_BYTES_CONFIG, "8192")));
    }

    private static String header(Headers headers, String key) {
        return new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
    }
}
