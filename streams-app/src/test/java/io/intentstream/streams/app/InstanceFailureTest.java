package io.intentstream.streams.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class InstanceFailureTest {

    @Test
    void shouldStayOpenWhileRunningAndWhenClosedOnRequest() {
        InstanceFailure failure = new InstanceFailure();
        for (KafkaStreams.State s :
                new KafkaStreams.State[] {
                    KafkaStreams.State.REBALANCING,
                    KafkaStreams.State.RUNNING,
                    KafkaStreams.State.PENDING_SHUTDOWN,
                    KafkaStreams.State.NOT_RUNNING
                }) {
            failure.onStateChange(s);
        }
        assertFalse(failure.cause().isDone());
    }

    @Test
    void shouldCompleteWithTheThreadsCauseAndStopTheClientWhenAThreadDies() {
        InstanceFailure failure = new InstanceFailure();
        OutOfMemoryError cause = new OutOfMemoryError("test");

        assertEquals(
                StreamThreadExceptionResponse.SHUTDOWN_CLIENT, failure.onUncaughtException(cause));
        failure.onStateChange(KafkaStreams.State.ERROR);

        assertSame(cause, failure.cause().join(), "the first cause is kept");
    }

    @Test
    void shouldCompleteWhenTheClientGoesToError() {
        InstanceFailure failure = new InstanceFailure();
        failure.onStateChange(KafkaStreams.State.ERROR);
        assertTrue(failure.cause().join().getMessage().contains("ERROR"));
    }
}
