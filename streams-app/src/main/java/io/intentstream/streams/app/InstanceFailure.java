package io.intentstream.streams.app;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells when an instance can no longer process: a stream thread died (the client shuts down, see
 * {@link #onUncaughtException}) or Kafka Streams went to {@code ERROR}. A process that only waits
 * for a signal would then sit with a health check that fails while nothing restarts it; its entry
 * point waits on {@link #cause()} as well and exits non-zero, so that its orchestrator does.
 */
public final class InstanceFailure {

    private static final Logger log = LoggerFactory.getLogger(InstanceFailure.class);

    private final CompletableFuture<Throwable> cause = new CompletableFuture<>();

    /** For {@code KafkaStreams.setUncaughtExceptionHandler}: remember why, stop the client. */
    public StreamThreadExceptionResponse onUncaughtException(Throwable e) {
        log.error("Stream thread failed; stopping this instance", e);
        cause.complete(e);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /** For the state listener: {@code ERROR} is final. */
    public void onStateChange(KafkaStreams.State now) {
        if (now == KafkaStreams.State.ERROR) {
            cause.complete(new IllegalStateException("Kafka Streams went to ERROR"));
        }
    }

    /**
     * Completes with the first cause once the instance cannot continue; never completes while it
     * runs, nor when it is closed on request.
     */
    public CompletableFuture<Throwable> cause() {
        return cause;
    }
}
