package io.intentstream.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.intentstream.avro.IntentCandidate;
import io.intentstream.avro.IntentDefinition;
import io.intentstream.local.service.DemoCatalog;
import io.intentstream.local.service.LocalService;
import io.intentstream.local.service.Outcome;
import io.intentstream.local.service.OutcomeLedger;
import io.intentstream.local.service.OutcomeTail;
import io.intentstream.local.service.QueryFeeder;
import io.intentstream.schemas.DeadLetters;
import io.intentstream.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The service on a real broker: queries in and matches out, catalog changes, poison pills. */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class IntentServiceIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @RegisterExtension static final BrokerAndModel env = new BrokerAndModel();

    @TempDir Path stateDir;

    private LocalService start(TestInfo test) {
        String name = test.getTestMethod().orElseThrow().getName();
        return LocalService.start(
                ServiceHarness.config(env.kafka(), name, stateDir, Map.of()),
                ServiceHarness.createTopics(),
                env.model());
    }

    @Test
    void shouldMatchEveryQueryWhenTheDemoCatalogIsServed(TestInfo test) throws Exception {
        try (LocalService service = start(test)) {
            List<IntentDefinition> catalog = DemoCatalog.intents();
            service.loadCatalog(catalog);
            String version = service.awaitCatalog(ids(catalog), true, WAIT);
            OutcomeLedger ledger = new OutcomeLedger();
            Map<String, String> expected =
                    Map.of(
                            "q-password", "password_reset",
                            "q-refund", "refund_request",
                            "q-parcel", "shipping_delay",
                            "q-twice", "double_charge");
            try (OutcomeTail tail = ServiceHarness.follow(service, ledger);
                    QueryFeeder feeder =
                            new QueryFeeder(
                                    service.clientConfig(),
                                    service.topic(Topics.QUERIES),
                                    Map.of())) {
                feeder.send(
                        QueryFeeder.query(
                                "q-password",
                                "I can't remember my password, how do I set a new one?",
                                "chat"));
                feeder.send(
                        QueryFeeder.query(
                                "q-refund",
                                "I sent the shoes back, when do I get my money?",
                                "email"));
                feeder.send(
                        QueryFeeder.query(
                                "q-parcel", "my package still hasn't been delivered", "chat"));
                feeder.send(
                        QueryFeeder.query(
                                "q-twice", "you took the payment two times from my card", "email"));
                feeder.send(
                        QueryFeeder.query("q-moons", "how many moons does Saturn have", "chat"));
                feeder.flush();
                Set<String> all =
                        Set.of("q-password", "q-refund", "q-parcel", "q-twice", "q-moons");
                assertEquals(Set.of(), ledger.awaitAll(all, WAIT, n -> {}));
            }
            expected.forEach(
                    (queryId, intent) -> {
                        Outcome o = ledger.get(queryId);
                        assertEquals(Outcome.Kind.MATCHED, o.kind(), queryId);
                        assertEquals(intent, o.intentId(), queryId);
                        assertEquals(version, o.match().getModelVersion().toString(), queryId);
                        List<IntentCandidate> candidates = o.match().getCandidates();
                        assertEquals(5, candidates.size(), "top-k candidates of " + queryId);
                        for (int i = 1; i < candidates.size(); i++) {
                            assertTrue(
                                    candidates.get(i - 1).getScore()
                                            >= candidates.get(i).getScore(),
                                    "candidates best first");
                        }
                    });
            Outcome outOfScope = ledger.get("q-moons");
            assertEquals(Outcome.Kind.FALLBACK, outOfScope.kind());
            assertEquals(null, outOfScope.intentId());
            assertTrue(ledger.duplicates().isEmpty(), "duplicates: " + ledger.duplicates());
        }
    }

    @Test
    void shouldServeReembeddedIntentsWhenTheCatalogChanges(TestInfo test) throws Exception {
        try (LocalService service = start(test)) {
            List<IntentDefinition> base =
                    DemoCatalog.intents().stream()
                            .filter(
                                    i ->
                                            Set.of(
                                                            "password_reset",
                                                            "refund_request",
                                                            "shipping_delay")
                                                    .contains(i.getIntentId().toString()))
                            .toList();
            service.loadCatalog(base);
            service.awaitCatalog(ids(base), true, WAIT);
            OutcomeLedger ledger = new OutcomeLedger();
            try (OutcomeTail tail = ServiceHarness.follow(service, ledger);
                    QueryFeeder feeder =
                            new QueryFeeder(
                                    service.clientConfig(),
                                    service.topic(Topics.QUERIES),
                                    Map.of())) {
                String petQuery = "is my cat covered when she goes to the vet";

                // Added: a new intent is embedded and matched.
                IntentDefinition pets =
                        ServiceHarness.intent(
                                "pet_insurance",
                                "insurance",
                                List.of(
                                        "does my policy cover my dog's vet bills",
                                                "is my pet insured for surgery",
                                        "how do I add my cat to the insurance",
                                                "claim vet costs for my pet"));
                service.loadCatalog(List.of(pets));
                service.awaitCatalog(
                        Set.of(
                                "password_reset",
                                "refund_request",
                                "shipping_delay",
                                "pet_insurance"),
                        true,
                        WAIT);
                feeder.send(QueryFeeder.query("pets-1", petQuery, "chat"));
                feeder.flush();
                assertEquals(Set.of(), ledger.awaitAll(Set.of("pets-1"), WAIT, n -> {}));
                assertEquals("pet_insurance", ledger.get("pets-1").intentId());
                assertEquals("insurance", ledger.get("pets-1").match().getRoute().toString());

                // Edited: the new route is served once the intent is re-embedded.
                service.loadCatalog(
                        List.of(
                                ServiceHarness.intent(
                                        "pet_insurance",
                                        "pet-desk",
                                        pets.getExamples().stream()
                                                .map(CharSequence::toString)
                                                .toList())));
                Awaitility.await()
                        .atMost(WAIT)
                        .until(
                                () ->
                                        "pet-desk"
                                                .equals(
                                                        service.app()
                                                                .lookup()
                                                                .match(petQuery)
                                                                .candidates()
                                                                .get(0)
                                                                .route()));
                feeder.send(QueryFeeder.query("pets-2", petQuery, "chat"));
                feeder.flush();
                assertEquals(Set.of(), ledger.awaitAll(Set.of("pets-2"), WAIT, n -> {}));
                assertEquals("pet_insurance", ledger.get("pets-2").intentId());
                assertEquals("pet-desk", ledger.get("pets-2").match().getRoute().toString());

                // Deleted: a tombstone removes the intent from matching.
                QueryFeeder.deleteIntent(
                        service.clientConfig(), service.topic(Topics.INTENTS), "pet_insurance");
                service.awaitCatalog(ids(base), true, WAIT);
                feeder.send(QueryFeeder.query("pets-3", petQuery, "chat"));
                feeder.flush();
                assertEquals(Set.of(), ledger.awaitAll(Set.of("pets-3"), WAIT, n -> {}));
                Outcome after = ledger.get("pets-3");
                assertNotEquals("pet_insurance", after.intentId());
                assertFalse(
                        after.match().getCandidates().stream()
                                .anyMatch(c -> c.getIntentId().toString().equals("pet_insurance")),
                        "a deleted intent is no longer a candidate");
            }
        }
    }

    @Test
    void shouldSendPoisonPillsToTheDeadLetterTopicAndKeepMatching(TestInfo test) throws Exception {
        try (LocalService service = start(test)) {
            List<IntentDefinition> catalog = DemoCatalog.intents();
            service.loadCatalog(catalog);
            service.awaitCatalog(ids(catalog), true, WAIT);
            OutcomeLedger ledger = new OutcomeLedger();
            try (OutcomeTail tail = ServiceHarness.follow(service, ledger);
                    QueryFeeder feeder =
                            new QueryFeeder(
                                    service.clientConfig(),
                                    service.topic(Topics.QUERIES),
                                    Map.of())) {
                feeder.send(QueryFeeder.query("before", "I forgot my password", "chat"));
                feeder.flush();
                feeder.sendRaw("garbage", "definitely not avro".getBytes(StandardCharsets.UTF_8));
                feeder.send(QueryFeeder.query("empty", "   ", "chat"));
                feeder.send(QueryFeeder.query("huge", "refund ".repeat(1000), "chat"));
                feeder.send(QueryFeeder.query("after", "where is my parcel", "chat"));
                feeder.flush();
                assertEquals(
                        Set.of(),
                        ledger.awaitAll(
                                Set.of("before", "garbage", "empty", "huge", "after"),
                                WAIT,
                                n -> {}));
            }
            assertEquals(Outcome.Kind.DEAD_LETTER, ledger.get("garbage").kind());
            assertEquals(DeadLetters.REASON_BAD_HEADER, ledger.get("garbage").deadLetterReason());
            assertEquals(Outcome.Kind.DEAD_LETTER, ledger.get("empty").kind());
            assertEquals(DeadLetters.REASON_EMPTY_TEXT, ledger.get("empty").deadLetterReason());
            assertEquals(Outcome.Kind.DEAD_LETTER, ledger.get("huge").kind());
            assertEquals(DeadLetters.REASON_TEXT_TOO_LONG, ledger.get("huge").deadLetterReason());
            assertEquals("password_reset", ledger.get("before").intentId());
            assertEquals("shipping_delay", ledger.get("after").intentId());
            assertTrue(ledger.duplicates().isEmpty(), "duplicates: " + ledger.duplicates());
        }
    }

    private static Set<String> ids(List<IntentDefinition> intents) {
        return intents.stream().map(i -> i.getIntentId().toString()).collect(Collectors.toSet());
    }
}
