package io.intentstream.streams.errors;

import io.intentstream.schemas.DeadLetters;
import io.intentstream.streams.metrics.ServiceMetrics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safety net behind the processors' own validation: an unexpected exception while processing
 * one record sends that record's source bytes to the dead-letter topic (reason {@value
 * DeadLetters#REASON_PROCESSING_ERROR}) and processing continues. Systemic faults (a model that
 * fails to load, a corrupted store) are not caught by processors and reach this handler only if
 * they escape per record; {@link FatalServiceException} is never swallowed.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

    private String deadLetterTopic;
    private ServiceMetrics metrics = ServiceMetrics.noop();
    private int maxBytes = DeadLetterRecords.DEFAULT_MAX_BYTES;

    @Override
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        deadLetterTopic = topic == null ? null : topic.toString();
        maxBytes = DeadLetterRecords.maxBytes(configs);
        if (configs.get(ServiceMetrics.CONFIG_KEY) instanceof ServiceMetrics m) {
            metrics = m;
        }
    }

    @Override
    public Response handleError(
            ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (exception instanceof FatalServiceException) {
            log.error(
                    "Fatal fault in processor {} of task {}; stopping",
                    context.processorNodeId(),
                    context.taskId(),
                    exception);
            return Response.fail();
        }
        metrics.deadLetter(DeadLetters.REASON_PROCESSING_ERROR);
        log.warn(
                "Processing failed in {} for record {}-{}@{} (task {}); record sent to the"
                        + " dead-letter topic",
                context.processorNodeId(),
                context.topic(),
                context.partition(),
                context.offset(),
                context.taskId(),
                exception);
        if (deadLetterTopic == null
                || deadLetterTopic.isBlank()
                || context.sourceRawValue() == null) {
            return Response.resume();
        }
        return Response.resume(
                List.of(
                        DeadLetterRecords.record(
                                deadLetterTopic,
                                context.sourceRawKey(),
                                context.sourceRawValue(),
                                DeadLetterRecords.headers(
                                        context.headers(),
                                        DeadLetters.REASON_PROCESSING_ERROR,
                                        "processing failed in " + context.processorNodeId(),
                                        exception,
                                        context.topic(),
                                        context.partition(),
                                        context.offset(),
                                        null),
                                maxBytes)));
    }
}
