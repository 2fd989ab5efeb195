package io.intentstream.streams.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.intentstream.avro.BufferedQuery;
import io.intentstream.avro.IntentEmbedding;
import io.intentstream.avro.IntentMatch;
import io.intentstream.avro.SupportQuery;
import io.intentstream.encoder.SentenceEncoder;
import io.intentstream.matching.BatchMatcher;
import io.intentstream.matching.MatchRule;
import io.intentstream.matching.SimilarityKernel;
import io.intentstream.schemas.AvroSerde;
import io.intentstream.schemas.EmbeddingVectors;
import io.intentstream.streams.metrics.ServiceMetrics;
import io.intentstream.streams.model.IntentIndexCache;
import io.intentstream.streams.model.ModelRegistry;
import io.intentstream.streams.model.ServingModel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The micro-batch processor alone, with real RocksDB stores (logging off) in a {@code
 * MockProcessorContext}, and a keyword encoder whose vectors are known: what a restarted processor
 * finds in its buffer is matched, in order, exactly once.
 */
class MicroBatchMatchProcessorTest {

    private static final String[] WORDS = {"card", "refund", "password"};

    /** One-hot on the first keyword a text contains: data, not a mock. */
    private static class KeywordEncoder implements SentenceEncoder {
        @Override
        public int dimension() {
            return WORDS.length;
        }

        @Override
        public float[][] encode(List<String> texts) {
            float[][] out = new float[texts.size()][WORDS.length];
            for (int i = 0; i < texts.size(); i++) {
                for (int w = 0; w < WORDS.length; w++) {
                    if (texts.get(i).contains(WORDS[w])) {
                        out[i][w] = 1f;
                        break;
                    }
                }
            }
            return out;
        }

        @Override
        public void close() {}
    }

    @TempDir Path stateDir;

    private KeyValueStore<Long, BufferedQuery> buffer;
    private WindowStore<String, IntentMatch> recent;
    private KeyValueStore<String, IntentEmbedding> intents;
    private ModelRegistry registry;
    private final MicroBatchMatchProcessor.Settings settings =
            new MicroBatchMatchProcessor.Settings(
                    "buffer",
                    "recent",
                    "intents",
                    "matches",
                    "fallbacks",
                    "dead",
                    3,
                    Duration.ofMillis(10),
                    new BatchMatcher(new MatchRule(0.5f, 0f, true), 2),
                    true);
    private final ManualTime time = new ManualTime(1_000_000L);
    private final StreamThreadFlushTime flushTime = new StreamThreadFlushTime();

    @BeforeEach
    void openStores() {
        buffer =
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore("buffer"),
                                Serdes.Long(),
                                AvroSerde.of(BufferedQuery.class))
                        .withLoggingDisabled()
                        .build();
        recent =
                Stores.windowStoreBuilder(
                                Stores.persistentWindowStore(
                                        "recent", Duration.ofDays(1), Duration.ofMillis(1), false),
                                Serdes.String(),
                                AvroSerde.of(IntentMatch.class))
                        .withLoggingDisabled()
                        .build();
        intents =
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore("intents"),
                                Serdes.String(),
                                AvroSerde.of(IntentEmbedding.class))
                        .withLoggingDisabled()
                        .build();
        registry = new ModelRegistry(new ServingModel("k1", new KeywordEncoder(), () -> {}));
    }

    @AfterEach
    void closeStores() {
        buffer.close();
        recent.close();
        intents.close();
        registry.close();
    }

    private MockProcessorContext<Object, Object> context() {
        return context(buffer);
    }

    private MockProcessorContext<Object, Object> context(
            KeyValueStore<Long, BufferedQuery> buffer) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "batch-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        MockProcessorContext<Object, Object> context =
                new MockProcessorContext<>(props, new TaskId(0, 0), stateDir.toFile());
        context.setCurrentSystemTimeMs(1_000_000L);
        for (var store : List.of(buffer, recent, intents)) {
            if (!store.isOpen()) {
                store.init(context.getStateStoreContext(), store);
            }
            context.addStateStore(store);
        }
        return context;
    }

    private MicroBatchMatchProcessor processor(MockProcessorContext<Object, Object> context) {
        return processor(context, settings);
    }

    private MicroBatchMatchProcessor processor(
            MockProcessorContext<Object, Object> context,
            MicroBatchMatchProcessor.Settings settings) {
        MicroBatchMatchProcessor p =
                new MicroBatchMatchProcessor(
                        settings,
                        registry,
                        new IntentIndexCache(SimilarityKernel.JAVA),
                        ServiceMetrics.noop(),
                        time,
                        flushTime);
        p.init(context);
        return p;
    }

    /** Runs the processor's wall-clock punctuation as Kafka Streams would at {@code nowMs}. */
    private static void punctuate(MockProcessorContext<Object, Object> context, long nowMs) {
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(nowMs);
    }

    private static Record<String, SupportQuery> query(String id, String text) {
        return new Record<>(
                id,
                SupportQuery.newBuilder()
                        .setQueryId(id)
                        .setText(text)
                        .setTimestamp(Instant.EPOCH)
                        .build(),
                1000L);
    }

    private void intent(String id, float... vector) {
        intents.put(
                "k1/" + id,
                IntentEmbedding.newBuilder()
                        .setModelVersion("k1")
                        .setIntentId(id)
                        .setRoute(id)
                        .setDimension(WORDS.length)
                        .setVectors(EmbeddingVectors.pack(new float[][] {vector}, WORDS.length))
                        .build());
    }

    @Test
    void shouldMatchBufferedQueriesInOrderOnceWhenProcessorRestartsMidBatch() {
        MockProcessorContext<Object, Object> first = context();
        intent("card_lost", 1, 0, 0);
        intent("refund", 0, 1, 0);
        MicroBatchMatchProcessor before = processor(first);
        before.process(query("a", "my card is gone"));
        before.process(query("b", "refund me"));
        assertTrue(first.forwarded().isEmpty(), "the batch is not full");
        before.close();

        // A new processor instance on the same stores, as after a crash and restore.
        MockProcessorContext<Object, Object> second = context();
        MicroBatchMatchProcessor after = processor(second);
        after.process(query("c", "lost card again"));

        List<String> ids =
                second.forwarded().stream()
                        .map(f -> ((IntentMatch) f.record().value()).getQueryId())
                        .toList();
        assertEquals(
                List.of("a", "b", "c"),
                ids,
                "the restored buffer fills the batch, in arrival order");
        assertEquals(
                List.of("matches", "matches", "matches"),
                second.forwarded().stream().map(f -> f.childName().orElseThrow()).toList());
        assertEquals(0, buffer.approximateNumEntries(), "a flushed query leaves the buffer");

        second.resetForwards();
        punctuate(second, second.currentSystemTimeMs() + 1000);
        assertTrue(second.forwarded().isEmpty(), "nothing is matched twice");
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void shouldDeadLetterOnlyTheTextThatHangsWhenTheEncoderOutlivesItsTimeLimit() {
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        registry.close();
        registry =
                new ModelRegistry(
                        new ServingModel(
                                "k1",
                                new io.intentstream.encoder.TimeLimitedEncoder(
                                        new KeywordEncoder() {
                                            @Override
                                            public float[][] encode(List<String> texts) {
                                                if (texts.stream()
                                                        .anyMatch(t -> t.contains("hang"))) {
                                                    try {
                                                        never.await(); // a call that never returns
                                                    } catch (InterruptedException e) {
                                                        Thread.currentThread().interrupt();
                                                    }
                                                }
                                                return super.encode(texts);
                                            }
                                        },
                                        Duration.ofMillis(500)),
                                () -> {}));
        try {
            MockProcessorContext<Object, Object> context = context();
            intent("card_lost", 1, 0, 0);
            intent("refund", 0, 1, 0);
            MicroBatchMatchProcessor p = processor(context);
            p.process(query("a", "my card"));
            p.process(query("b", "hang the refund"));
            p.process(query("c", "refund please"));

            List<String> sinks =
                    context.forwarded().stream().map(f -> f.childName().orElseThrow()).toList();
            assertEquals(
                    List.of("matches", "dead", "matches"),
                    sinks,
                    "the batch fails, then each text alone");
            assertEquals(0, buffer.approximateNumEntries(), "nothing is left behind");
        } finally {
            never.countDown();
        }
    }

    @Test
    void shouldFlushPartialBatchWhenPunctuated() {
        MockProcessorContext<Object, Object> context = context();
        intent("password_reset", 0, 0, 1);
        MicroBatchMatchProcessor p = processor(context);
        p.process(query("p", "forgot my password"));
        p.process(query("q", "the weather"));
        assertTrue(context.forwarded().isEmpty());
        long arrived = context.currentSystemTimeMs();
        punctuate(context, arrived + 5);
        assertTrue(context.forwarded().isEmpty(), "the oldest query has not waited 10 ms yet");

        punctuate(context, arrived + 10);

        assertEquals(
                List.of("matches", "fallbacks"),
                context.forwarded().stream().map(f -> f.childName().orElseThrow()).toList());
        IntentMatch fallback = (IntentMatch) context.forwarded().get(1).record().value();
        assertEquals("q", fallback.getQueryId());
        assertEquals(2, fallback.getBatchSize());
        assertEquals("k1", fallback.getModelVersion());
    }

    @Test
    void shouldRequestCommitAfterEachFlushOnlyWhenConfigured() {
        MockProcessorContext<Object, Object> eager = context();
        intent("refund", 0, 1, 0);
        MicroBatchMatchProcessor p = processor(eager);
        p.process(query("a", "refund"));
        assertFalse(eager.committed(), "nothing flushed yet");
        punctuate(eager, eager.currentSystemTimeMs() + 10);
        assertEquals(1, eager.forwarded().size());
        assertTrue(
                eager.committed(),
                "a flushed batch asks for a commit, so its outcomes become visible at once");

        MockProcessorContext<Object, Object> lazy = context();
        MicroBatchMatchProcessor q = processor(lazy, settings("buffer", false));
        q.process(query("b", "refund"));
        punctuate(lazy, lazy.currentSystemTimeMs() + 10);
        assertEquals(1, lazy.forwarded().size());
        assertFalse(lazy.committed(), "without the setting the commit interval decides");
    }

    @Test
    void shouldNotCountTimeSpentFlushingAnotherTasksBatchAsWaiting() {
        long flushMillis = 200;
        registry.close();
        registry =
                new ModelRegistry(
                        new ServingModel(
                                "k1",
                                new KeywordEncoder() {
                                    @Override
                                    public float[][] encode(List<String> texts) {
                                        time.sleep(flushMillis);
                                        return super.encode(texts);
                                    }
                                },
                                () -> {}));
        KeyValueStore<Long, BufferedQuery> otherBuffer =
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore("other-buffer"),
                                Serdes.Long(),
                                AvroSerde.of(BufferedQuery.class))
                        .withLoggingDisabled()
                        .build();
        try {
            MockProcessorContext<Object, Object> waiting = context();
            intent("refund", 0, 1, 0);
            MicroBatchMatchProcessor lonely = processor(waiting);
            lonely.process(query("alone", "refund"));
            long arrived = waiting.currentSystemTimeMs();

            // Another task on the same thread fills and flushes a batch, which takes flushMillis.
            MockProcessorContext<Object, Object> busy = context(otherBuffer);
            MicroBatchMatchProcessor full = processor(busy, settings("other-buffer", true));
            for (String id : List.of("x", "y", "z")) {
                full.process(query(id, "refund"));
            }
            assertEquals(3, busy.forwarded().size());

            punctuate(waiting, arrived + 20);
            assertTrue(
                    waiting.forwarded().isEmpty(),
                    "20 ms passed on the clock, but the thread flushed another batch for "
                            + flushMillis
                            + " ms of it: no query could arrive");
            punctuate(waiting, arrived + 60_000);
            assertEquals(
                    1,
                    waiting.forwarded().size(),
                    "once it has waited maxWait beyond that, the partial batch goes");
        } finally {
            otherBuffer.close();
        }
    }

    private MicroBatchMatchProcessor.Settings settings(
            String bufferStore, boolean commitAfterFlush) {
        return new MicroBatchMatchProcessor.Settings(
                bufferStore,
                settings.matchStore(),
                settings.intentStore(),
                settings.matchesSink(),
                settings.fallbacksSink(),
                settings.deadLetterSink(),
                settings.maxBatch(),
                settings.maxWait(),
                settings.matcher(),
                commitAfterFlush);
    }
}
