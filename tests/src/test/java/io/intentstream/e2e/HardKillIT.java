package io.intentstream.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.intentstream.avro.IntentDefinition;
import io.intentstream.local.service.DemoCatalog;
import io.intentstream.local.service.LocalService;
import io.intentstream.local.service.Outcome;
import io.intentstream.local.service.OutcomeLedger;
import io.intentstream.local.service.OutcomeTail;
import io.intentstream.local.service.QueryFeeder;
import io.intentstream.schemas.Topics;
import io.intentstream.streams.config.IntentStreamConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances share the work; one of them, a separate JVM running the service's {@code main}, is
 * killed (SIGKILL, no shutdown hook, no commit) in the middle of a stream of queries. The survivor
 * takes over its partitions and, under exactly-once, every query comes out exactly once. Part of
 * the stream is sent after the kill, so the kill falls mid-stream however fast the first part is
 * done.
 */
@Tag("integration")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class HardKillIT {

    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final int QUERIES = 240;
    private static final int SENT_BEFORE_KILL = 160;

    @RegisterExtension static final BrokerAndModel env = new BrokerAndModel();

    @TempDir Path survivorState;
    @TempDir Path victimState;

    @Test
    void shouldAccountForEveryQueryExactlyOnceWhenAnInstanceIsKilledMidStream() throws Exception {
        IntentStreamConfig config =
                ServiceHarness.config(
                        env.kafka(),
                        "hardkill",
                        survivorState,
                        Map.of(
                                IntentStreamConfig.BATCH_MAX_SIZE_CONFIG,
                                8,
                                IntentStreamConfig.MODEL_RELEASES_ENABLED_CONFIG,
                                false));
        List<IntentDefinition> catalog = DemoCatalog.intents();
        Set<String> intentIds =
                catalog.stream().map(i -> i.getIntentId().toString()).collect(Collectors.toSet());
        List<String> texts = DemoCatalog.queryTexts();
        OutcomeLedger ledger = new OutcomeLedger();
        List<String> sent = new ArrayList<>();

        try (LocalService survivor =
                        LocalService.start(config, ServiceHarness.createTopics(), env.model());
                OutcomeTail tail = ServiceHarness.follow(survivor, ledger);
                QueryFeeder feeder =
                        new QueryFeeder(
                                survivor.clientConfig(),
                                survivor.topic(Topics.QUERIES),
                                Map.of())) {
            survivor.loadCatalog(catalog);
            survivor.awaitCatalog(intentIds, true, WAIT);

            Process victim =
                    ServiceHarness.startService(
                            config, victimState.resolve("state"), victimState.resolve("out.log"));
            try {
                // Both instances hold tasks before the stream starts.
                try (Admin admin = Admin.create(survivor.clientConfig())) {
                    Awaitility.await()
                            .atMost(WAIT)
                            .pollInterval(Duration.ofMillis(500))
                            .until(
                                    () ->
                                            !victim.isAlive()
                                                    || instancesHoldingQueries(admin, config) == 2);
                }
                assertTrue(
                        victim.isAlive(),
                        "the second instance died on start:\n"
                                + Files.readString(victimState.resolve("out.log")));
                Awaitility.await()
                        .atMost(WAIT)
                        .until(
                                () ->
                                        survivor.app().streams().state()
                                                == org.apache.kafka.streams.KafkaStreams.State
                                                        .RUNNING);

                send(feeder, 0, SENT_BEFORE_KILL, texts, sent);
                Awaitility.await().atMost(WAIT).until(() -> ledger.size() >= SENT_BEFORE_KILL / 6);
            } finally {
                victim.destroyForcibly();
                victim.waitFor(30, TimeUnit.SECONDS);
            }
            send(feeder, SENT_BEFORE_KILL, QUERIES, texts, sent);

            Set<String> missing = ledger.awaitAll(sent, WAIT, n -> {});
            assertEquals(Set.of(), missing, "queries without an outcome after the kill");
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

    private static void send(
            QueryFeeder feeder, int from, int to, List<String> texts, List<String> sent) {
        for (int i = from; i < to; i++) {
            String id = "k" + i;
            feeder.send(QueryFeeder.query(id, texts.get(i % texts.size()), "chat"));
            sent.add(id);
        }
        feeder.flush();
    }

    /**
     * Instances whose stream threads hold a partition of the queries topic. Each stream thread is a
     * member of the group, named {@code <application id>-<process id>-StreamThread-<n>-consumer}.
     */
    private static long instancesHoldingQueries(Admin admin, IntentStreamConfig config)
            throws Exception {
        String queries = Topics.QUERIES.withPrefix(config.topicPrefix()).name();
        return admin
                .describeConsumerGroups(List.of(config.applicationId()))
                .all()
                .get()
                .get(config.applicationId())
                .members()
                .stream()
                .filter(
                        m ->
                                m.assignment().topicPartitions().stream()
                                        .anyMatch(tp -> tp.topic().equals(queries)))
                .map(m -> m.clientId().substring(0, m.clientId().indexOf("-StreamThread-")))
                .distinct()
                .count();
    }
}
