package io.intentstream.streams.processor;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.common.utils.Time;

/** A clock that moves only when a test moves it. */
final class ManualTime implements Time {

    private long nanos;
    private final long epochMillisAtStart;

    ManualTime(long epochMillis) {
        this.epochMillisAtStart = epochMillis;
    }

    @Override
    public long milliseconds() {
        return epochMillisAtStart + TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    @Override
    public long nanoseconds() {
        return nanos;
    }

    @Override
    public void sleep(long ms) {
        nanos += TimeUnit.MILLISECONDS.toNanos(ms);
    }

    @Override
    public void waitObject(Object obj, Supplier<Boolean> condition, long deadlineMs)
            throws InterruptedException {
        if (!condition.get()) {
            throw new InterruptedException(
                    new TimeoutException("condition not met on a manual clock").getMessage());
        }
    }
}
