package io.intentstream.streams.processor;

import io.intentstream.avro.SupportQuery;
import io.intentstream.schemas.AvroSerde;
import io.intentstream.schemas.DeadLetters;
import io.intentstream.streams.metrics.ServiceMetrics;
import io.intentstream.streams.model.ModelRegistry;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Lets through queries that can be matched and sends the others to the dead-letter topic: no query
 * id, empty or whitespace-only text, text longer than the limit. A query whose record key is
 * missing is keyed by its queryId.
 */
public final class QueryValidationProcessor
        implements Processor<String, SupportQuery, Object, Object> {

    private final int maxChars;
    private final String nextProcessor;
    private final String deadLetterSink;
    private final ModelRegistry models;
    private final ServiceMetrics metrics;
    private final AvroSerde<SupportQuery> serde = AvroSerde.of(SupportQuery.class);
    private ProcessorContext<Object, Object> context;
    private DeadLetterForwarder deadLetters;

    public QueryValidationProcessor(
            int maxChars,
            String nextProcessor,
            String deadLetterSink,
            ModelRegistry models,
            ServiceMetrics metrics) {
        this.maxChars = maxChars;
        this.nextProcessor = nextProcessor;
        this.deadLetterSink = deadLetterSink;
        this.models = models;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.deadLetters = new DeadLetterForwarder(context, deadLetterSink, metrics);
    }

    @Override
    public void process(Record<String, SupportQuery> record) {
        SupportQuery query = record.value();
        if (query == null) {
            deadLetters.send(
                    record,
                    null,
                    DeadLetters.REASON_EMPTY_TEXT,
                    "query record without a value",
                    models.currentVersion());
            return;
        }
        String queryId =
                record.key() != null && !record.key().isBlank() ? record.key() : query.getQueryId();
        if (queryId == null || queryId.isBlank()) {
            deadLetters.send(
                    record,
                    serde.serialize(null, query),
                    DeadLetters.REASON_MISSING_ID,
                    "query without an id",
                    models.currentVersion());
            return;
        }
        String text = query.getText();
        if (isBlank(text)) {
            deadLetters.send(
                    record,
                    serde.serialize(null, query),
                    DeadLetters.REASON_EMPTY_TEXT,
                    "query " + queryId + " has no text",
                    models.currentVersion());
            return;
        }
        if (text.length() > maxChars) {
            deadLetters.send(
                    record,
                    serde.serialize(null, query),
                    DeadLetters.REASON_TEXT_TOO_LONG,
                    "query "
                            + queryId
                            + " has "
                            + text.length()
                            + " characters, the limit is "
                            + maxChars,
                    models.currentVersion());
            return;
        }
        if (!queryId.equals(query.getQueryId())) {
            query = SupportQuery.newBuilder(query).setQueryId(queryId).build();
        }
        context.forward(record.withKey(queryId).withValue(query), nextProcessor);
    }

    /**
     * Blank in the Unicode sense: String.isBlank misses no-break and other space separators
     * (U+00A0, U+202F).
     */
    static boolean isBlank(String text) {
        return text.codePoints()
                .allMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c));
    }
}
