package io.intentstream.cli;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns Ctrl-C (JVM shutdown) into a clean stop: {@link #await()} returns when the JVM is asked to
 * stop, and the shutdown hook then holds the JVM until {@link #close()}, so that resources opened
 * after this signal (and so closed before it) are closed properly.
 */
final class ShutdownSignal implements AutoCloseable {

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);

    ShutdownSignal() {
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    stopRequested.countDown();
                                    try {
                                        closed.await(60, TimeUnit.SECONDS);
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                },
                                "intent-stream-shutdown"));
    }

    void await() throws InterruptedException {
        stopRequested.await();
    }

    /**
     * Waits until the JVM is asked to stop or {@code failure} completes.
     *
     * @return the failure's cause, or null when asked to stop
     */
    Throwable awaitOr(CompletableFuture<Throwable> failure) throws InterruptedException {
        CompletableFuture<Throwable> stop = new CompletableFuture<>();
        Thread waiter =
                new Thread(
                        () -> {
                            try {
                                stopRequested.await();
                                stop.complete(null);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "intent-stream-stop-waiter");
        waiter.setDaemon(true);
        waiter.start();
        try {
            return (Throwable) CompletableFuture.anyOf(failure, stop).get();
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } finally {
            waiter.interrupt();
        }
    }

    @Override
    public void close() {
        closed.countDown();
    }
}
