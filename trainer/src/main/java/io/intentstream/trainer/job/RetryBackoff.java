package io.intentstream.trainer.job;

import java.time.Clock;
import java.time.Duration;

/**
 * When a failed training run may be tried again: after {@code first}, doubling with each failure in
 * a row up to {@code max}, and at once after a success. Without it a run that fails to publish (a
 * broker that refuses the release, a full disk) would be retried in a tight loop.
 */
final class RetryBackoff {

    private final Clock clock;
    private final Duration first;
    private final Duration max;
    private int failuresInARow;
    private long retryAt = Long.MIN_VALUE;

    RetryBackoff(Clock clock, Duration first, Duration max) {
        this.clock = clock;
        this.first = first;
        this.max = max;
    }

    /** Whether a run may start now. */
    boolean ready() {
        return clock.millis() >= retryAt;
    }

    /** A run failed; returns how long until the next may start. */
    Duration failed() {
        failuresInARow++;
        Duration wait = first.multipliedBy(1L << Math.min(failuresInARow - 1, 20));
        if (wait.compareTo(max) > 0) {
            wait = max;
        }
        retryAt = clock.millis() + wait.toMillis();
        return wait;
    }

    void succeeded() {
        failuresInARow = 0;
        retryAt = Long.MIN_VALUE;
    }

    int failuresInARow() {
        return failuresInARow;
    }
}
