package io.intentstream.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TokenBatchTest {

    @Test
    void shouldPadToTheLongestRowWhenBatching() {
        TokenBatch b = TokenBatch.pad(new long[][] {{101, 7, 102}, {101, 102}});
        assertEquals(2, b.size());
        assertEquals(3, b.tokens());
        assertArrayEquals(new long[] {101, 7, 102, 101, 102, 0}, b.ids());
        assertArrayEquals(new long[] {1, 1, 1, 1, 1, 0}, b.mask());
    }
}
