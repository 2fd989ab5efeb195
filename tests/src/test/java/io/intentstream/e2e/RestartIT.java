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
import io.intentstream.schemas.DeadLetters;
import io.intentstream.schemas.Topics;
import io.intentstream.streams.config.IntentStreamConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance stopped in the middle of a stream of queries and started again: with exactly-once
 * processing every query comes out exactly once, as a match, a fallback or a dead letter. Part of
 * the stream arrives while the instance is down, so the stop falls mid-stream however fast the
 * instance works through the first part.
 */
@Tag("integration")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class RestartIT {

    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final int QUERIES = 240;
    private static final int SENT_BEFORE_STOP = 160;

    @RegisterExtension static final BrokerAndModel env = new BrokerAndModel();

    @TempDir Path stateDir;

    @Test
    void shouldAccountForEveryQueryExactlyOnceWhenTheInstanceRestartsMidStream() throws Exception {
        // Small batches and a slow flush keep queries buffered in the batch store when the instance
        // stops.
        IntentStreamConfig config =
                ServiceHarness.config(
                        env.kafka(),
                        "restart",
                        stateDir,
                        Map.of(IntentStreamConfig.BATCH_MAX_SIZE_CONFIG, 8));
        List<IntentDefinition> catalog = DemoCatalog.intents();
        Set<String> intentIds =
                catalog.stream().map(i -> i.getIntentId().toString()).collect(Collectors.toSet());
        List<String> texts = DemoCatalog.queryTexts();

        OutcomeLedger ledger = new OutcomeLedger();
        List<String> sent = new ArrayList<>();
        Set<String> emptyOnes = new HashSet<>();
        LocalService first = LocalService.start(config, ServiceHarness.createTopics(), env.model());
        try (OutcomeTail tail = ServiceHarness.follow(first, ledger);
                QueryFeeder feeder =
                        new QueryFeeder(
                                first.clientConfig(), first.topic(Topics.QUERIES), Map.of())) {
            try {
                first.loadCatalog(catalog);
                first.awaitCatalog(intentIds, true, WAIT);
                send(feeder, 0, SENT_BEFORE_STOP, texts, sent, emptyOnes);
                Awaitility.await().atMost(WAIT).until(() -> ledger.size() >= SENT_BEFORE_STOP / 5);
            } finally {
                first.close();
            }
            send(feeder, SENT_BEFORE_STOP, QUERIES, texts, sent, emptyOnes);

            try (LocalService second =
                    LocalService.start(config, ServiceHarness.createTopics(), env.model())) {
                Set<String> missing = ledger.awaitAll(sent, WAIT, n -> {});
                assertEquals(Set.of(), missing, "queries without an outcome after the restart");
            }
        }
        assertEquals(List.of(), ledger.duplicates(), "queries with more than one outcome");
        assertEquals(
                new HashSet<>(sent), ledger.ids(), "outcomes for queries that were never sent");
        for (String id : sent) {
            Outcome o = ledger.get(id);
            if (emptyOnes.contains(id)) {
                assertEquals(Outcome.Kind.DEAD_LETTER, o.kind(), id);
                assertEquals(DeadLetters.REASON_EMPTY_TEXT, o.deadLetterReason(), id);
            } else {
                assertTrue(
                        o.kind() == Outcome.Kind.MATCHED || o.kind() == Outcome.Kind.FALLBACK,
                        id + " " + o.kind());
            }
        }
    }

    /**
     * Sends queries {@code from} (inclusive) to {@code to}; every 50th, from the 8th, has empty
     * text.
     */
    private static void send(
            QueryFeeder feeder,
            int from,
            int to,
            List<String> texts,
            List<String> sent,
            Set<String> emptyOnes) {
        for (int i = from; i < to; i++) {
            String id = "r" + i;
            boolean empty = i % 50 == 7;
            if (empty) {
                emptyOnes.add(id);
            }
            feeder.send(QueryFeeder.query(id, empty ? "" : texts.get(i % texts.size()), "chat"));
            sent.add(id);
        }
        feeder.flush();
    }
}
