package io.intentstream.streams.processor;

import io.intentstream.avro.IntentEmbedding;
import io.intentstream.avro.IntentMatch;
import io.intentstream.avro.MatchFeedback;
import io.intentstream.avro.TrainingExample;
import io.intentstream.schemas.AvroSerde;
import io.intentstream.schemas.DeadLetters;
import io.intentstream.schemas.IntentEmbeddingKey;
import io.intentstream.streams.metrics.ServiceMetrics;
import io.intentstream.streams.model.ModelRegistry;
import java.util.Objects;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Joins feedback to the match it is about (by queryId, from the recent-matches store) and emits a
 * training example: the query text, the right intent (null when out of scope), what the model
 * predicted, whether it was right, and the model version. Feedback for a query without a match,
 * naming an intent the catalog does not have, or contradicting itself goes to the dead-letter
 * topic.
 */
public final class FeedbackJoinProcessor
        implements Processor<String, MatchFeedback, Object, Object> {

    private final String matchStore;
    private final String intentStore;
    private final String trainingSink;
    private final String deadLetterSink;
    private final ModelRegistry models;
    private final ServiceMetrics metrics;
    private final AvroSerde<MatchFeedback> serde = AvroSerde.of(MatchFeedback.class);
    private ProcessorContext<Object, Object> context;
    private WindowStore<String, IntentMatch> recentMatches;
    private ReadOnlyKeyValueStore<String, IntentEmbedding> intents;
    private DeadLetterForwarder deadLetters;

    public FeedbackJoinProcessor(
            String matchStore,
            String intentStore,
            String trainingSink,
            String deadLetterSink,
            ModelRegistry models,
            ServiceMetrics metrics) {
        this.matchStore = matchStore;
        this.intentStore = intentStore;
        this.trainingSink = trainingSink;
        this.deadLetterSink = deadLetterSink;
        this.models = models;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.recentMatches = context.getStateStore(matchStore);
        this.intents = context.getStateStore(intentStore);
        this.deadLetters = new DeadLetterForwarder(context, deadLetterSink, metrics);
    }

    @Override
    public void process(Record<String, MatchFeedback> record) {
        MatchFeedback feedback = record.value();
        if (feedback == null) {
            deadLetters.send(
                    record,
                    null,
                    DeadLetters.REASON_INVALID_FEEDBACK,
                    "feedback record without a value",
                    null);
            return;
        }
        String queryId = record.key() != null ? record.key() : feedback.getQueryId();
        IntentMatch match = queryId == null ? null : latestMatch(queryId);
        if (match == null) {
            reject(
                    record,
                    DeadLetters.REASON_UNKNOWN_QUERY,
                    "feedback for query " + queryId + " that has no recent match",
                    null);
            return;
        }
        String rightIntent;
        switch (feedback.getOutcome()) {
            case CONFIRMED ->
                    rightIntent =
                            feedback.getIntentId() != null
                                    ? feedback.getIntentId()
                                    : match.getChosenIntentId();
            case CORRECTED -> rightIntent = feedback.getIntentId();
            case OUT_OF_SCOPE -> rightIntent = null;
            default -> {
                reject(
                        record,
                        DeadLetters.REASON_INVALID_FEEDBACK,
                        "feedback for query " + queryId + " has no outcome",
                        match.getModelVersion());
                return;
            }
        }
        if (rightIntent == null
                && feedback.getOutcome() != io.intentstream.avro.FeedbackOutcome.OUT_OF_SCOPE) {
            reject(
                    record,
                    DeadLetters.REASON_INVALID_FEEDBACK,
                    "feedback "
                            + feedback.getOutcome()
                            + " for query "
                            + queryId
                            + " names no intent",
                    match.getModelVersion());
            return;
        }
        if (rightIntent != null && !knownIntent(rightIntent, match.getModelVersion())) {
            reject(
                    record,
                    DeadLetters.REASON_UNKNOWN_INTENT,
                    "feedback for query " + queryId + " names an intent not in the catalog",
                    match.getModelVersion());
            return;
        }
        String predicted = match.getChosenIntentId();
        TrainingExample example =
                TrainingExample.newBuilder()
                        .setQueryId(queryId)
                        .setText(match.getQueryText() == null ? "" : match.getQueryText())
                        .setIntentId(rightIntent)
                        .setPredictedIntentId(predicted)
                        .setModelWasRight(Objects.equals(predicted, rightIntent))
                        .setModelVersion(match.getModelVersion())
                        .setSource(feedback.getSource())
                        .setTimestamp(feedback.getTimestamp())
                        .build();
        context.forward(
                new Record<Object, Object>(queryId, example, record.timestamp(), record.headers()),
                trainingSink);
        metrics.trainingExample();
    }

    private IntentMatch latestMatch(String queryId) {
        try (WindowStoreIterator<IntentMatch> it =
                recentMatches.backwardFetch(queryId, 0L, Long.MAX_VALUE)) {
            if (it.hasNext()) {
                KeyValue<Long, IntentMatch> latest = it.next();
                return latest.value;
            }
            return null;
        }
    }

    private boolean knownIntent(String intentId, String matchVersion) {
        return intents.get(new IntentEmbeddingKey(matchVersion, intentId).toString()) != null
                || intents.get(new IntentEmbeddingKey(models.currentVersion(), intentId).toString())
                        != null;
    }

    private void reject(
            Record<String, MatchFeedback> record, String reason, String detail, String version) {
        deadLetters.send(record, serde.serialize(null, record.value()), reason, detail, version);
    }
}
