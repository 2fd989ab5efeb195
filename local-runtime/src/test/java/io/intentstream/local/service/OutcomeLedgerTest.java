package io.intentstream.local.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OutcomeLedgerTest {

    private static Outcome deadLetter(String id, String reason) {
        return new Outcome(id, Outcome.Kind.DEAD_LETTER, null, reason, 0);
    }

    @Test
    void shouldKeepTheFirstOutcomeAndCountTheRestAsDuplicatesWhenAQueryComesOutTwice() {
        OutcomeLedger ledger = new OutcomeLedger();
        ledger.accept(deadLetter("q1", "empty-text"));
        ledger.accept(deadLetter("q2", "empty-text"));
        ledger.accept(deadLetter("q1", "other"));

        assertEquals(2, ledger.size());
        assertEquals("empty-text", ledger.get("q1").deadLetterReason());
        assertEquals(List.of("q1"), ledger.duplicates().stream().map(Outcome::queryId).toList());
    }

    @Test
    void shouldReportTheMissingQueriesWhenTheWaitRunsOut() throws InterruptedException {
        OutcomeLedger ledger = new OutcomeLedger();
        ledger.accept(deadLetter("q1", "empty-text"));

        assertEquals(
                Set.of("q2"), ledger.awaitAll(List.of("q1", "q2"), Duration.ofMillis(50), n -> {}));
        assertEquals(Set.of(), ledger.awaitAll(List.of("q1"), Duration.ofMillis(50), n -> {}));
    }
}
