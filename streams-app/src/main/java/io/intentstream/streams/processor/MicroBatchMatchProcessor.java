package io.intentstream.streams.processor;

import io.intentstream.avro.BufferedQuery;
import io.intentstream.avro.IntentEmbedding;
import io.intentstream.avro.IntentMatch;
import io.intentstream.avro.SupportQuery;
import io.intentstream.matching.BatchMatcher;
import io.intentstream.matching.IntentIndex;
import io.intentstream.matching.VectorDimensionException;
import io.intentstream.schemas.AvroSerde;
import io.intentstream.schemas.DeadLetters;
import io.intentstream.streams.errors.FatalServiceException;
import io.intentstream.streams.metrics.ServiceMetrics;
import io.intentstream.streams.model.IntentIndexCache;
import io.intentstream.streams.model.ModelRegistry;
import io.intentstream.streams.model.ServingModel;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeds queries in micro-batches and matches them against the intents of the same model version.
 *
 * <p>Each query is first appended to a changelogged {@link QueryBuffer}. A batch is flushed when
 * the buffer holds {@code maxBatch} queries, or by a wall-clock punctuation when the {@link
 * FlushPolicy} says the oldest query has waited long enough. Flushing matches the whole buffer
 * under one model lease with the {@link BatchMatcher}, then, in arrival order, forwards each
 * outcome ({@link MatchRecords}), remembers it for the feedback join and deletes it from the
 * buffer. Under exactly-once the buffer's changelog is committed in the same transaction as the
 * input offsets and the outputs, so a crash mid-batch neither loses a query (it is restored into
 * the buffer) nor duplicates one (its match and its deletion commit together). Order per key holds
 * because a key always lands in the same task and the buffer is FIFO.
 *
 * <p>With {@code commitAfterFlush}, each flush asks Kafka Streams to commit: under exactly-once the
 * outcomes become visible only with the transaction, so without it every query would also wait for
 * the next {@code commit.interval.ms}.
 */
public final class MicroBatchMatchProcessor
        implements Processor<String, SupportQuery, Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(MicroBatchMatchProcessor.class);

    /** Names and settings. */
    public record Settings(
            String bufferStore,
            String matchStore,
            String intentStore,
            String matchesSink,
            String fallbacksSink,
            String deadLetterSink,
            int maxBatch,
            Duration maxWait,
            BatchMatcher matcher,
            boolean commitAfterFlush) {}

    private final Settings settings;
    private final ModelRegistry models;
    private final IntentIndexCache indexCache;
    private final ServiceMetrics metrics;
    private final Time time;
    private final MatchRecords records;
    private final FlushPolicy flushPolicy;
    private final AvroSerde<SupportQuery> querySerde = AvroSerde.of(SupportQuery.class);
    private ProcessorContext<Object, Object> context;
    private QueryBuffer buffer;
    private WindowStore<String, IntentMatch> recentMatches;
    private ReadOnlyKeyValueStore<String, IntentEmbedding> intents;
    private DeadLetterForwarder deadLetters;

    /**
     * @param time the clock of batch waits, latencies and match timestamps
     * @param flushTime the stream threads' flushing time, shared by every batch processor of the
     *     topology
     */
    public MicroBatchMatchProcessor(
            Settings settings,
            ModelRegistry models,
            IntentIndexCache indexCache,
            ServiceMetrics metrics,
            Time time,
            StreamThreadFlushTime flushTime) {
        this.settings = settings;
        this.models = models;
        this.indexCache = indexCache;
        this.metrics = metrics;
        this.time = time;
        this.records = new MatchRecords(time);
        this.flushPolicy = new FlushPolicy(settings.maxWait(), time, flushTime);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.buffer = new QueryBuffer(context.getStateStore(settings.bufferStore()));
        this.recentMatches = context.getStateStore(settings.matchStore());
        this.intents = context.getStateStore(settings.intentStore());
        this.deadLetters = new DeadLetterForwarder(context, settings.deadLetterSink(), metrics);
        if (!buffer.isEmpty()) {
            log.info("Task {} resumes with {} buffered queries", context.taskId(), buffer.size());
        }
        flushPolicy.restored(buffer.size());
        // Kafka Streams checks punctuations between records, so a short period lets the buffer fill
        // while records keep coming and flushes it once its oldest query has waited long enough.
        context.schedule(
                flushPolicy.checkInterval(),
                PunctuationType.WALL_CLOCK_TIME,
                now -> {
                    if (flushPolicy.due(now, buffer.size())) {
                        flush();
                    }
                });
    }

    @Override
    public void process(Record<String, SupportQuery> record) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        BufferedQuery entry =
                BufferedQuery.newBuilder()
                        .setQuery(record.value())
                        .setRecordTimestamp(record.timestamp())
                        .setSourceTopic(meta == null ? null : meta.topic())
                        .setSourcePartition(meta == null ? -1 : meta.partition())
                        .setSourceOffset(meta == null ? -1 : meta.offset())
                        .setReceivedAtMicros(records.epochMicros())
                        .build();
        int waiting = buffer.append(entry);
        flushPolicy.arrived(waiting, context.currentSystemTimeMs());
        if (waiting >= settings.maxBatch()) {
            flush();
        }
    }

    private void flush() {
        flushPolicy.flush(this::matchAndForward, buffer::size);
        if (settings.commitAfterFlush()) {
            context.commit();
        }
    }

    private void matchAndForward() {
        List<KeyValue<Long, BufferedQuery>> batch = buffer.all();
        if (batch.isEmpty()) {
            return;
        }
        try (ServingModel.Lease lease = models.acquire()) {
            List<String> texts = batch.stream().map(kv -> kv.value.getQuery().getText()).toList();
            long embedStartMicros = records.epochMicros();
            long start = time.nanoseconds();
            float[][] vectors =
                    embed(lease, texts); // (batch, dimension); a null row could not be embedded
            long embedNanos = time.nanoseconds() - start;
            metrics.batch(batch.size(), embedNanos);
            IntentIndex index = indexCache.get(lease.version(), lease.model().dimension(), intents);
            long matchStart = time.nanoseconds();
            List<BatchMatcher.Match> matches =
                    settings.matcher().match(index, vectors, lease.model().neighbours());
            long embedded = java.util.Arrays.stream(vectors).filter(v -> v != null).count();
            long matchNanos = (time.nanoseconds() - matchStart) / Math.max(1, embedded);
            for (int i = 0; i < batch.size(); i++) {
                KeyValue<Long, BufferedQuery> kv = batch.get(i);
                if (matches.get(i) == null) {
                    SupportQuery q = kv.value.getQuery();
                    deadLetters.send(
                            new Record<>(q.getQueryId(), q, kv.value.getRecordTimestamp()),
                            querySerde.serialize(null, q),
                            DeadLetters.REASON_PROCESSING_ERROR,
                            "query " + q.getQueryId() + " could not be embedded",
                            lease.version());
                } else {
                    MatchRecords.Timing timing =
                            new MatchRecords.Timing(
                                    MatchRecords.queuedMicros(kv.value, embedStartMicros),
                                    embedNanos,
                                    matchNanos,
                                    batch.size());
                    emit(
                            kv.value,
                            records.of(
                                    kv.value.getQuery(), matches.get(i), lease.version(), timing),
                            matches.get(i),
                            matchNanos);
                }
                buffer.remove(kv.key);
            }
        }
    }

    private float[][] embed(ServingModel.Lease lease, List<String> texts) {
        try {
            return settings.matcher().embed(lease.encoder(), texts);
        } catch (VectorDimensionException e) {
            throw new FatalServiceException("model " + lease.version() + ": " + e.getMessage(), e);
        }
    }

    private void emit(
            BufferedQuery entry, IntentMatch match, BatchMatcher.Match outcome, long matchNanos) {
        SupportQuery query = entry.getQuery();
        metrics.match(matchNanos);
        recentMatches.put(query.getQueryId(), match, entry.getRecordTimestamp());
        Record<Object, Object> out =
                new Record<>(
                        query.getQueryId(), match, entry.getRecordTimestamp(), new RecordHeaders());
        if (outcome.verdict().matched()) {
            context.forward(out, settings.matchesSink());
            metrics.matched();
        } else {
            context.forward(out, settings.fallbacksSink());
            metrics.fallback();
        }
        if (log.isDebugEnabled()) {
            log.debug(
                    "Query {} from {}-{}@{} (task {}, model {}): {}",
                    query.getQueryId(),
                    entry.getSourceTopic(),
                    entry.getSourcePartition(),
                    entry.getSourceOffset(),
                    context.taskId(),
                    match.getModelVersion(),
                    outcome.verdict().matched() ? "matched" : outcome.verdict().fallbackReason());
        }
    }
}
