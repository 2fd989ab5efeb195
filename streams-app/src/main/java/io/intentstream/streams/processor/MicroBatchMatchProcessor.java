package io.intentstream.streams.processor;

import io.intentstream.avro.BufferedQuery;
import io.intentstream.avro.IntentCandidate;
import io.intentstream.avro.IntentEmbedding;
import io.intentstream.avro.IntentMatch;
import io.intentstream.avro.MatchDecision;
import io.intentstream.avro.SupportQuery;
import io.intentstream.schemas.AvroSerde;
import io.intentstream.schemas.DeadLetters;
import io.intentstream.streams.errors.FatalServiceException;
import io.intentstream.streams.matching.IntentIndex;
import io.intentstream.streams.matching.MatchRule;
import io.intentstream.streams.matching.ScoredIntent;
import io.intentstream.streams.matching.Verdict;
import io.intentstream.streams.metrics.ServiceMetrics;
import io.intentstream.streams.model.IntentIndexCache;
import io.intentstream.streams.model.ModelRegistry;
import io.intentstream.streams.model.ServingModel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeds queries in micro-batches and matches them against the intents of the same model version.
 *
 * <p>Each query is first appended to a changelogged buffer store (keyed by an increasing sequence
 * number). A batch is flushed when the buffer holds {@code maxBatch} queries, or by a wall-clock
 * punctuation once the oldest buffered query has waited {@code maxWait}. Flushing embeds the whole buffer in one call under one model
 * lease, then, in arrival order, forwards each match, remembers it for the feedback join and
 * deletes it from the buffer. Under exactly-once the buffer's changelog is committed in the same
 * transaction as the input offsets and the outputs, so a crash mid-batch neither loses a query
 * (it is restored into the buffer) nor duplicates one (its match and its deletion commit together).
 * Order per key holds because a key always lands in the same task and the buffer is FIFO.
 *
 * <p>The wait leaves out the time the stream thread spent flushing other tasks' batches: no query
 * could be read meanwhile, so counting it would flush a half-filled batch right after every full
 * one whenever a thread serves two or more partitions. With {@code commitAfterFlush}, each flush
 * asks Kafka Streams to commit: under exactly-once the outcomes become visible only with the
 * transaction, so without it every query would also wait for the next {@code commit.interval.ms}.
 */
public final class MicroBatchMatchProcessor implements Processor<String, SupportQuery, Object, Object> {

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
            int topK,
            MatchRule rule,
            boolean commitAfterFlush) {}

    // Nanoseconds this stream thread has spent flushing, over all of its tasks (punctuations and
    // processing of a task always run on the thread that owns it).
    private static final ThreadLocal<long[]> FLUSH_NANOS_ON_THREAD = ThreadLocal.withInitial(() -> new long[1]);

    private final Settings settings;
    private final ModelRegistry models;
    private final IntentIndexCache indexCache;
    private final ServiceMetrics metrics;
    private final AvroSerde<SupportQuery> querySerde = AvroSerde.of(SupportQuery.class);
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<Long, BufferedQuery> buffer;
    private WindowStore<String, IntentMatch> recentMatches;
    private ReadOnlyKeyValueStore<String, IntentEmbedding> intents;
    private DeadLetterForwarder deadLetters;
    private long nextSequence;
    private int buffered;
    // Wall-clock time the oldest buffered query arrived; -1 when empty, MIN_VALUE when restored (flush at once).
    private long oldestBufferedAt = -1;
    // This thread's flushing time when the oldest buffered query arrived.
    private long flushNanosAtOldest;

    public MicroBatchMatchProcessor(Settings settings, ModelRegistry models, IntentIndexCache indexCache, ServiceMetrics metrics) {
        this.settings = settings;
        this.models = models;
        this.indexCache = indexCache;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.buffer = context.getStateStore(settings.bufferStore());
        this.recentMatches = context.getStateStore(settings.matchStore());
        this.intents = context.getStateStore(settings.intentStore());
        this.deadLetters = new DeadLetterForwarder(context, settings.deadLetterSink(), metrics);
        // After a restart the buffer may hold queries restored from its changelog: count them and continue the sequence.
        long last = -1;
        int count = 0;
        try (KeyValueIterator<Long, BufferedQuery> it = buffer.all()) {
            while (it.hasNext()) {
                last = Math.max(last, it.next().key);
                count++;
            }
        }
        nextSequence = last + 1;
        buffered = count;
        if (count > 0) {
            log.info("Task {} resumes with {} buffered queries", context.taskId(), count);
        }
        // Kafka Streams checks punctuations between records, so a short period lets the buffer fill
        // while records keep coming and flushes it once its oldest query has waited maxWait.
        Duration period = Duration.ofMillis(Math.max(1, settings.maxWait().toMillis() / 4));
        oldestBufferedAt = count > 0 ? Long.MIN_VALUE : -1;
        context.schedule(period, PunctuationType.WALL_CLOCK_TIME, now -> {
            if (buffered > 0 && (oldestBufferedAt == Long.MIN_VALUE || waitedMillis(now) >= settings.maxWait().toMillis())) {
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
                        .setReceivedAtMicros(epochMicros())
                        .build();
        buffer.put(nextSequence++, entry);
        if (buffered == 0) {
            oldestBufferedAt = context.currentSystemTimeMs();
            flushNanosAtOldest = FLUSH_NANOS_ON_THREAD.get()[0];
        }
        buffered++;
        if (buffered >= settings.maxBatch()) {
            flush();
        }
    }

    /** How long the oldest buffered query has waited, leaving out this thread's flushes of other batches. */
    private long waitedMillis(long now) {
        long busyMillis = (FLUSH_NANOS_ON_THREAD.get()[0] - flushNanosAtOldest) / 1_000_000L;
        return now - oldestBufferedAt - busyMillis;
    }

    private void flush() {
        long start = System.nanoTime();
        try {
            embedAndForward();
        } finally {
            FLUSH_NANOS_ON_THREAD.get()[0] += System.nanoTime() - start;
        }
        if (settings.commitAfterFlush()) {
            context.commit();
        }
    }

    private void embedAndForward() {
        List<KeyValue<Long, BufferedQuery>> batch = new ArrayList<>(buffered);
        try (KeyValueIterator<Long, BufferedQuery> it = buffer.all()) {
            while (it.hasNext()) {
                batch.add(it.next());
            }
        }
        if (batch.isEmpty()) {
            buffered = 0;
            oldestBufferedAt = -1;
            return;
        }
        try (ServingModel.Lease lease = models.acquire()) {
            List<String> texts = batch.stream().map(kv -> kv.value.getQuery().getText()).toList();
            long embedStartMicros = epochMicros();
            long start = System.nanoTime();
            float[][] vectors = embed(lease, texts); // (batch, dimension); a null row could not be embedded
            long embedNanos = System.nanoTime() - start;
            metrics.batch(batch.size(), embedNanos);
            IntentIndex index = indexCache.get(lease.version(), lease.model().dimension(), intents);
            List<float[]> embedded = new ArrayList<>();
            for (float[] v : vectors) {
                if (v != null) {
                    embedded.add(v);
                }
            }
            long matchStart = System.nanoTime();
            List<List<ScoredIntent>> tops =
                    index.topK(embedded.toArray(new float[0][]), Math.max(settings.topK(), 2), lease.model().neighbours());
            long matchNanos = (System.nanoTime() - matchStart) / Math.max(1, embedded.size());
            int next = 0;
            for (int i = 0; i < batch.size(); i++) {
                KeyValue<Long, BufferedQuery> kv = batch.get(i);
                if (vectors[i] == null) {
                    SupportQuery q = kv.value.getQuery();
                    deadLetters.send(
                            new Record<>(q.getQueryId(), q, kv.value.getRecordTimestamp()),
                            querySerde.serialize(null, q),
                            DeadLetters.REASON_PROCESSING_ERROR,
                            "query " + q.getQueryId() + " could not be embedded",
                            lease.version());
                } else {
                    emit(kv.value, tops.get(next++), lease.version(), queuedMicros(kv.value, embedStartMicros), embedNanos, matchNanos, batch.size());
                }
                buffer.delete(kv.key);
                buffered--;
            }
        }
        buffered = Math.max(buffered, 0);
        oldestBufferedAt = buffered > 0 ? Long.MIN_VALUE : -1;
    }

    /** Embeds the batch; if the batch fails as a whole, each text alone, so one bad text cannot block the others. */
    private float[][] embed(ServingModel.Lease lease, List<String> texts) {
        try {
            return checked(lease, lease.encoder().encode(texts));
        } catch (FatalServiceException e) {
            throw e;
        } catch (RuntimeException batchError) {
            log.warn("Embedding a batch of {} failed with model {}; embedding one by one", texts.size(), lease.version(), batchError);
            float[][] vectors = new float[texts.size()][];
            for (int i = 0; i < texts.size(); i++) {
                try {
                    vectors[i] = checked(lease, new float[][] {lease.encoder().encode(texts.get(i))})[0];
                } catch (FatalServiceException e) {
                    throw e;
                } catch (RuntimeException e) {
                    vectors[i] = null;
                }
            }
            return vectors;
        }
    }

    private static float[][] checked(ServingModel.Lease lease, float[][] vectors) {
        for (float[] v : vectors) {
            if (v.length != lease.model().dimension()) {
                throw new FatalServiceException(
                        "model " + lease.version() + " returned a vector of length " + v.length + ", expected " + lease.model().dimension());
            }
        }
        return vectors;
    }

    private static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    private static long queuedMicros(BufferedQuery entry, long embedStartMicros) {
        long receivedAt = entry.getReceivedAtMicros();
        return receivedAt <= 0 ? 0 : Math.max(0, embedStartMicros - receivedAt);
    }

    private void emit(BufferedQuery entry, List<ScoredIntent> top, String version, long queuedMicros, long embedNanos, long matchNanos,
            int batchSize) {
        SupportQuery query = entry.getQuery();
        Verdict verdict = settings.rule().decide(top);
        metrics.match(matchNanos);
        List<IntentCandidate> candidates = new ArrayList<>();
        for (ScoredIntent s : top.subList(0, Math.min(settings.topK(), top.size()))) {
            candidates.add(new IntentCandidate(s.intentId(), s.score(), s.route()));
        }
        IntentMatch match =
                IntentMatch.newBuilder()
                        .setQueryId(query.getQueryId())
                        .setCandidates(candidates)
                        .setDecision(verdict.matched() ? MatchDecision.MATCHED : MatchDecision.FALLBACK)
                        .setChosenIntentId(verdict.matched() ? verdict.chosen().intentId() : null)
                        .setRoute(verdict.matched() ? verdict.chosen().route() : null)
                        .setFallbackReason(verdict.fallbackReason())
                        .setModelVersion(version)
                        .setQueryText(query.getText())
                        .setQueuedMicros(queuedMicros)
                        .setEmbedMicros(embedNanos / 1000)
                        .setMatchMicros(matchNanos / 1000)
                        .setBatchSize(batchSize)
                        .setMetadata(query.getMetadata())
                        .setCreatedAt(Instant.ofEpochMilli(System.currentTimeMillis()))
                        .build();
        recentMatches.put(query.getQueryId(), match, entry.getRecordTimestamp());
        Record<Object, Object> out = new Record<>(query.getQueryId(), match, entry.getRecordTimestamp(), new RecordHeaders());
        if (verdict.matched()) {
            context.forward(out, settings.matchesSink());
            metrics.matched();
        } else {
            context.forward(out, settings.fallbacksSink());
            metrics.fallback();
        }
        if (log.isDebugEnabled()) {
            log.debug("Query {} from {}-{}@{} (task {}, model {}): {}",
                    query.getQueryId(), entry.getSourceTopic(), entry.getSourcePartition(), entry.getSourceOffset(),
                    context.taskId(), version, verdict.matched() ? "matched" : verdict.fallbackReason());
        }
    }
}
