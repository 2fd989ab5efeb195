package io.intentstream.local.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition that nothing signals (a store filled by Kafka Streams, a model version
 * swapped by the service): it asks again every {@code interval} until the condition holds or the
 * {@link Clock} passes the deadline.
 */
public final class Await {

    private Await() {}

    /**
     * @return whether {@code condition} held before {@code timeout} ran out
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public static boolean until(
            Clock clock, Duration timeout, Duration interval, BooleanSupplier condition)
            throws InterruptedException {
        Instant deadline = clock.instant().plus(timeout);
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                return false;
            }
            LockSupport.parkNanos(Math.min(interval.toNanos(), left.toNanos()));
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting");
            }
        }
    }
}
