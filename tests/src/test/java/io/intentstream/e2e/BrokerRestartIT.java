package io.intentstream.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.intentstream.avro.IntentDefinition;
import io.intentstream.local.broker.EmbeddedKafka;
import io.intentstream.local.service.DemoCatalog;
import io.intentstream.local.service.LocalService;
import io.intentstream.local.service.Outcome;
import io.intentstream.local.service.OutcomeLedger;
import io.intentstream.local.service.OutcomeTail;
import io.intentstream.local.service.QueryFeeder;
import io.intentstream.schemas.Topics;
import io.intentstream.streams.config.IntentStreamConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away in the middle of a stream of queries and comes back on the same data
 * directory and the same port. The service rides out the outage on its own (no restart, no manual
 * step) and, under exactly-once, every query sent before and after the outage has exactly one
 * outcome.
 */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BrokerRestartIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int BEFORE = 80;
    private static final int AFTER = 20;
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);

    @TempDir static Path brokerData;

    @RegisterExtension
    static final BrokerAndModel env =
            new BrokerAndModel(() -> EmbeddedKafka.start(brokerData, false, Map.of()));

    @TempDir Path serviceState;

    @Test
    void shouldAccountForEveryQueryExactlyOnceWhenTheBrokerRestartsMidStream() throws Exception {
        IntentStreamConfig config =
                ServiceHarness.config(
                        env.kafka(),
                        "brokerrestart",
                        serviceState,
                        Map.of(
                                IntentStreamConfig.BATCH_MAX_SIZE_CONFIG,
                                8,
                                IntentStreamConfig.STREAMS_PREFIX + "consumer.session.timeout.ms",
                                (int) SESSION_TIMEOUT.toMillis()));
        List<IntentDefinition> catalog = DemoCatalog.intents();
        Set<String> intentIds =
                catalog.stream().map(i -> i.getIntentId().toString()).collect(Collectors.toSet());
        List<String> texts = DemoCatalog.queryTexts();
        OutcomeLedger ledger = new OutcomeLedger();
        List<String> sent = new ArrayList<>();

        try (LocalService service =
                        LocalService.start(config, ServiceHarness.createTopics(), env.model());
                OutcomeTail tail = ServiceHarness.follow(service, ledger);
                QueryFeeder feeder =
                        new QueryFeeder(
                                service.clientConfig(), service.topic(Topics.QUERIES), Map.of())) {
            service.loadCatalog(catalog);
            service.awaitCatalog(intentIds, true, WAIT);
            KafkaStreams streams = service.app().streams();
            Awaitility.await()
                    .atMost(WAIT)
                    .until(() -> streams.state() == KafkaStreams.State.RUNNING);

            send(feeder, "before-", BEFORE, texts, sent);
            Awaitility.await().atMost(WAIT).until(() -> ledger.size() >= BEFORE / 8);
            // The rest of the stream is sent after the outage, so the outage falls mid-stream
            // however
            // fast the first part is done.
            env.kafka().stop();

            // The outage lasts longer than the group session, so the service's membership must
            // outlive it too: until a consumer has gone a whole session without a heartbeat, as
            // its own metric tells, or (should no consumer report it) the session and 5 s more.
            Instant stopped = Instant.now();
            Awaitility.await()
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () ->
                                    secondsSinceLastHeartbeat(streams)
                                                    > SESSION_TIMEOUT.toSeconds() + 2
                                            || Duration.between(stopped, Instant.now())
                                                            .compareTo(
                                                                    SESSION_TIMEOUT.plusSeconds(5))
                                                    > 0);
            env.kafka().restart();
            send(feeder, "after-", AFTER, texts, sent);
            feeder.flush();

            Set<String> missing = ledger.awaitAll(sent, WAIT, n -> {});
            assertEquals(Set.of(), missing, "queries without an outcome after the broker restart");
            assertNull(tail.failure(), "the outcome consumer failed");
            assertEquals(
                    KafkaStreams.State.RUNNING,
                    streams.state(),
                    "the service did not ride out the outage");
        }
        assertEquals(List.of(), ledger.duplicates(), "queries with more than one outcome");
        assertEquals(
                new HashSet<>(sent), ledger.ids(), "outcomes for queries that were never sent");
        for (String id : sent) {
            Outcome.Kind kind = ledger.get(id).kind();
            assertTrue(
                    kind == Outcome.Kind.MATCHED || kind == Outcome.Kind.FALLBACK, id + " " + kind);
        }
    }

    /**
     * The longest time any of the service's group consumers has gone without a heartbeat; 0 while
     * none has joined a group yet.
     */
    private static double secondsSinceLastHeartbeat(KafkaStreams streams) {
        return streams.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("last-heartbeat-seconds-ago"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .filter(Double::isFinite)
                .max()
                .orElse(0);
    }

    private static void send(
            QueryFeeder feeder, String prefix, int count, List<String> texts, List<String> sent) {
        for (int i = 0; i < count; i++) {
            String id = prefix + i;
            feeder.send(QueryFeeder.query(id, texts.get(sent.size() % texts.size()), "chat"));
            sent.add(id);
        }
    }
}
