package io.intentstream.encoder;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An encoder whose calls end within a time limit: each call runs on a thread of its own, and one
 * that has not returned by then fails with {@link EncoderTimeoutException}, so that the caller can
 * try the texts one by one and set aside the one that hangs. A native call cannot be stopped; it
 * finishes (or not) on its own thread while the caller goes on.
 */
public final class TimeLimitedEncoder implements SentenceEncoder {

    /** A call that did not return within the limit. */
    public static final class EncoderTimeoutException extends RuntimeException {
        EncoderTimeoutException(int texts, Duration limit) {
            super("embedding " + texts + " texts took longer than " + limit);
        }
    }

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final SentenceEncoder delegate;
    private final Duration limit;
    private final ExecutorService calls =
            Executors.newCachedThreadPool(
                    r -> {
                        Thread t = new Thread(r, "encoder-call-" + THREADS.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });

    public TimeLimitedEncoder(SentenceEncoder delegate, Duration limit) {
        this.delegate = delegate;
        this.limit = limit;
    }

    @Override
    public int dimension() {
        return delegate.dimension();
    }

    @Override
    public float[][] encode(List<String> texts) {
        Future<float[][]> call = calls.submit(() -> delegate.encode(texts));
        try {
            return call.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new EncoderTimeoutException(texts.size(), limit);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while embedding", e);
        }
    }

    @Override
    public void close() {
        calls.shutdownNow();
        delegate.close();
    }
}
