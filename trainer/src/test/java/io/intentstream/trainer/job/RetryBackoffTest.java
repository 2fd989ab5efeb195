package io.intentstream.trainer.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    private final Clock clock =
            new Clock() {
                @Override
                public ZoneOffset getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(java.time.ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return now;
                }
            };

    @Test
    void shouldWaitLongerAfterEachFailureInARowUpToTheMaximum() {
        RetryBackoff backoff =
                new RetryBackoff(clock, Duration.ofSeconds(10), Duration.ofSeconds(60));
        assertTrue(backoff.ready());

        assertEquals(Duration.ofSeconds(10), backoff.failed());
        assertFalse(backoff.ready());
        now = now.plusSeconds(10);
        assertTrue(backoff.ready());

        assertEquals(Duration.ofSeconds(20), backoff.failed());
        assertEquals(Duration.ofSeconds(40), backoff.failed());
        assertEquals(Duration.ofSeconds(60), backoff.failed());
        assertEquals(Duration.ofSeconds(60), backoff.failed());
        now = now.plusSeconds(59);
        assertFalse(backoff.ready());
    }

    @Test
    void shouldRunAtOnceAndStartOverAfterASuccess() {
        RetryBackoff backoff =
                new RetryBackoff(clock, Duration.ofSeconds(10), Duration.ofMinutes(10));
        backoff.failed();
        backoff.failed();
        backoff.succeeded();
        assertTrue(backoff.ready());
        assertEquals(Duration.ofSeconds(10), backoff.failed());
    }
}
