package io.intentstream.local.service;

import io.intentstream.avro.IntentDefinition;
import io.intentstream.schemas.Topics;
import io.intentstream.streams.config.IntentStreamConfig;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Replays queries through the broker and a running service, as {@code backtest} does: starts the
 * service, loads a catalog and waits until it is embedded, sends every query to the queries topic
 * and reads each one's outcome back from the matches, fallbacks and dead-letter topics.
 */
public final class Replay {

    /**
     * What became of the replayed queries.
     *
     * @param modelVersion the model that served them
     * @param outcomes per query, in the order sent; null for a query without an outcome
     * @param missing ids of the queries without an outcome when the wait ran out
     * @param duplicates outcomes beyond the first of a query
     * @param embedSeconds from the service's start until the catalog was served
     * @param replaySeconds from the first query sent until the last outcome
     */
    public record Result(
            String modelVersion,
            List<Outcome> outcomes,
            Set<String> missing,
            List<Outcome> duplicates,
            double embedSeconds,
            double replaySeconds) {

        /** Each query's matched intent, or {@code fallbackLabel} for a fallback or dead letter. */
        public String[] labels(String fallbackLabel) {
            return outcomes.stream()
                    .map(
                            o ->
                                    o == null || o.kind() != Outcome.Kind.MATCHED
                                            ? fallbackLabel
                                            : o.intentId())
                    .toArray(String[]::new);
        }

        /** How many queries ended as {@code kind}. */
        public long count(Outcome.Kind kind) {
            return outcomes.stream().filter(o -> o != null && o.kind() == kind).count();
        }
    }

    private Replay() {}

    /**
     * @param progress told of each step and of the outcomes read so far
     */
    public static Result run(
            IntentStreamConfig config,
            LocalService.Options launch,
            List<IntentDefinition> catalog,
            List<String> texts,
            Duration timeout,
            Clock clock,
            PrintWriter progress)
            throws InterruptedException {
        long start = clock.millis();
        OutcomeLedger ledger = new OutcomeLedger();
        List<String> ids = new ArrayList<>(texts.size());
        try (LocalService service = LocalService.start(config, launch)) {
            progress.printf(
                    "service %s on %s; catalog %d intents%n",
                    config.applicationId(), service.config().bootstrapServers(), catalog.size());
            progress.flush();
            service.loadCatalog(catalog);
            Set<String> intentIds =
                    catalog.stream()
                            .map(i -> i.getIntentId().toString())
                            .collect(Collectors.toSet());
            String version = service.awaitCatalog(intentIds, true, timeout);
            double embedSeconds = (clock.millis() - start) / 1e3;
            progress.printf(
                    "catalog embedded with model %s (%.1f s); replaying %d queries%n",
                    version, embedSeconds, texts.size());
            progress.flush();

            long replayStart = clock.millis();
            Set<String> missing;
            try (OutcomeTail tail = service.followOutcomes(true, ledger);
                    QueryFeeder feeder =
                            new QueryFeeder(
                                    service.clientConfig(),
                                    service.topic(Topics.QUERIES),
                                    java.util.Map.of())) {
                for (int i = 0; i < texts.size(); i++) {
                    String id = String.format("q%06d", i);
                    ids.add(id);
                    feeder.send(QueryFeeder.query(id, texts.get(i), "backtest"));
                }
                feeder.flush();
                missing =
                        ledger.awaitAll(
                                ids,
                                timeout,
                                n -> {
                                    progress.printf("  %d / %d outcomes%n", n, texts.size());
                                    progress.flush();
                                });
            }
            double replaySeconds = (clock.millis() - replayStart) / 1e3;
            List<Outcome> outcomes = ids.stream().map(ledger::get).toList();
            return new Result(
                    version, outcomes, missing, ledger.duplicates(), embedSeconds, replaySeconds);
        }
    }
}
