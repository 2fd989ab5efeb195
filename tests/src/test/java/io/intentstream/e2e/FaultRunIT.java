package io.intentstream.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.intentstream.avro.IntentDefinition;
import io.intentstream.avro.SupportQuery;
import io.intentstream.local.broker.EmbeddedKafka;
import io.intentstream.local.service.DemoCatalog;
import io.intentstream.local.service.LocalService;
import io.intentstream.local.service.Outcome;
import io.intentstream.local.service.OutcomeLedger;
import io.intentstream.local.service.OutcomeTail;
import io.intentstream.local.service.QueryFeeder;
import io.intentstream.schemas.AvroSerde;
import io.intentstream.schemas.DeadLetters;
import io.intentstream.schemas.Topics;
import io.intentstream.streams.config.IntentStreamConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything at once: 10,000 queries with hostile records among them, one of two instances killed
 * with SIGKILL a third of the way in, and the broker stopped for longer than a group session and
 * restarted two thirds of the way in. Every query has exactly one outcome (the normal ones a match
 * or a fallback, the hostile ones a dead letter with their reason) and the surviving instance is
 * still running at the end.
 */
@Tag("integration")
@Tag("slow")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class FaultRunIT {

    private static final Duration WAIT = Duration.ofMinutes(4);
    private static final int QUERIES = 10_000;
    private static final int HOSTILE_EVERY = 250;
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);

    @TempDir static Path brokerData;

    @RegisterExtension
    static final BrokerAndModel env =
            new BrokerAndModel(() -> EmbeddedKafka.start(brokerData, false, Map.of()));

    @TempDir Path survivorState;
    @TempDir Path victimState;

    private static final AvroSerde<SupportQuery> SERDE = AvroSerde.of(SupportQuery.class);

    /** The hostile records sent in turn, with the dead-letter reason each must get. */
    private static final List<Map.Entry<byte[], String>> HOSTILE =
            List.of(
                    Map.entry(
                            "{\"text\":\"not avro\"}".getBytes(StandardCharsets.UTF_8),
                            DeadLetters.REASON_BAD_HEADER),
                    Map.entry(
                            concat(
                                    header(),
                                    new byte[] {
                                        (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F
                                    }),
                            DeadLetters.REASON_CORRUPT_BODY),
                    Map.entry(query("x", "   "), DeadLetters.REASON_EMPTY_TEXT),
                    Map.entry(query("x", "y".repeat(5_000)), DeadLetters.REASON_TEXT_TOO_LONG));

    private static byte[] query(String id, String text) {
        return SERDE.serialize(
                "t",
                SupportQuery.newBuilder()
                        .setQueryId(id)
                        .setText(text)
                        .setTimestamp(Instant.EPOCH)
                        .build());
    }

    private static byte[] header() {
        return Arrays.copyOf(query("h", "h"), 10);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void shouldAccountForEveryQueryExactlyOnceThroughAKillAndABrokerRestart() throws Exception {
        IntentStreamConfig config =
                ServiceHarness.config(
                        env.kafka(),
                        "faultrun",
                        survivorState,
                        Map.of(
                                IntentStreamConfig.MODEL_RELEASES_ENABLED_CONFIG,
                                false,
                                IntentStreamConfig.STREAMS_PREFIX + "consumer.session.timeout.ms",
                                (int) SESSION_TIMEOUT.toMillis()));
        List<IntentDefinition> catalog = DemoCatalog.intents();
        List<String> texts = DemoCatalog.queryTexts();
        OutcomeLedger ledger = new OutcomeLedger();
        List<String> normal = new ArrayList<>();
        Map<String, String> hostile = new HashMap<>();
        long start = System.nanoTime();
        double killedAt;
        double brokerBackAt;
        try (LocalService survivor =
                        LocalService.start(config, ServiceHarness.createTopics(), env.model());
                OutcomeTail tail = ServiceHarness.follow(survivor, ledger);
                QueryFeeder feeder =
                        new QueryFeeder(
                                survivor.clientConfig(),
                                survivor.topic(Topics.QUERIES),
                                Map.of())) {
            ServiceHarness.serveCatalog(survivor, catalog, WAIT);
            Process victim =
                    ServiceHarness.startService(
                            config, victimState.resolve("state"), victimState.resolve("out.log"));
            try {
                send(feeder, 0, QUERIES / 3, texts, normal, hostile);
                Awaitility.await().atMost(WAIT).until(() -> ledger.size() >= QUERIES / 6);
            } finally {
                victim.destroyForcibly();
                victim.waitFor(30, TimeUnit.SECONDS);
                killedAt = (System.nanoTime() - start) / 1e9;
            }
            send(feeder, QUERIES / 3, 2 * QUERIES / 3, texts, normal, hostile);
            Awaitility.await().atMost(WAIT).until(() -> ledger.size() >= QUERIES / 2);

            env.kafka().stop();
            Instant stopped = Instant.now();
            Awaitility.await()
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () ->
                                    Duration.between(stopped, Instant.now())
                                                    .compareTo(SESSION_TIMEOUT.plusSeconds(5))
                                            > 0);
            env.kafka().restart();
            brokerBackAt = (System.nanoTime() - start) / 1e9;
            send(feeder, 2 * QUERIES / 3, QUERIES, texts, normal, hostile);

            List<String> all = new ArrayList<>(normal);
            all.addAll(hostile.keySet());
            Set<String> missing = ledger.awaitAll(all, WAIT, n -> {});
            assertEquals(Set.of(), missing, "queries without an outcome");
            assertNull(tail.failure(), "the outcome consumer failed");
            assertEquals(KafkaStreams.State.RUNNING, survivor.app().streams().state());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(List.of(), ledger.duplicates(), "queries with more than one outcome");
        Set<String> sent = new HashSet<>(normal);
        sent.addAll(hostile.keySet());
        assertEquals(sent, ledger.ids(), "outcomes for queries that were never sent");
        int matched = 0;
        int fallbacks = 0;
        for (String id : normal) {
            Outcome.Kind kind = ledger.get(id).kind();
            assertTrue(
                    kind == Outcome.Kind.MATCHED || kind == Outcome.Kind.FALLBACK, id + " " + kind);
            if (kind == Outcome.Kind.MATCHED) {
                matched++;
            } else {
                fallbacks++;
            }
        }
        hostile.forEach(
                (id, reason) -> {
                    assertEquals(Outcome.Kind.DEAD_LETTER, ledger.get(id).kind(), id);
                    assertEquals(reason, ledger.get(id).deadLetterReason(), id);
                });
        System.out.printf(
                "fault run: %d queries (%d hostile) in %.1f s; instance killed at %.1f s, broker"
                        + " back at %.1f s; %d matched, %d fallbacks, %d dead letters; 0 lost, 0"
                        + " duplicated%n",
                sent.size(),
                hostile.size(),
                seconds,
                killedAt,
                brokerBackAt,
                matched,
                fallbacks,
                hostile.size());
    }

    private static void send(
            QueryFeeder feeder,
            int from,
            int to,
            List<String> texts,
            List<String> normal,
            Map<String, String> hostile) {
        for (int i = from; i < to; i++) {
            String id = "q" + i;
            feeder.send(QueryFeeder.query(id, texts.get(i % texts.size()), "chat"));
            normal.add(id);
            if (i % HOSTILE_EVERY == 0) {
                Map.Entry<byte[], String> bad = HOSTILE.get((i / HOSTILE_EVERY) % HOSTILE.size());
                String badId = "hostile-" + i;
                feeder.sendRaw(badId, bad.getKey());
                hostile.put(badId, bad.getValue());
            }
        }
        feeder.flush();
    }
}
