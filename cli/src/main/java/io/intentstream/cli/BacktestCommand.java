package io.intentstream.cli;

import io.intentstream.avro.IntentDefinition;
import io.intentstream.local.service.LabelledCatalog;
import io.intentstream.local.service.LocalService;
import io.intentstream.local.service.Outcome;
import io.intentstream.local.service.OutcomeLedger;
import io.intentstream.local.service.OutcomeTail;
import io.intentstream.local.service.QueryFeeder;
import io.intentstream.schemas.Topics;
import io.intentstream.streams.config.IntentStreamConfig;
import io.intentstream.trainer.data.LabelledText;
import io.intentstream.trainer.data.LabelledTextReader;
import io.intentstream.trainer.evaluation.ClassificationMetrics;
import io.intentstream.trainer.evaluation.IntentEvaluator;
import io.intentstream.trainer.promote.ThresholdFitting;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Replays labelled queries through the broker and the running topology and scores what comes back,
 * so that the stream's accuracy can be set beside the offline evaluation's.
 */
@Command(
        name = "backtest",
        mixinStandardHelpOptions = true,
        description = {
            "Loads a labelled catalog into the intents topic (labels become intents, texts their"
                    + " utterances),",
            "replays labelled queries through the broker and the running topology, reads the"
                    + " matches, fallbacks and",
            "dead letters back and prints accuracy, macro-F1, fallback rate and, where 'oos' rows"
                    + " exist, out-of-scope recall.",
            "With --validation it first fits per-intent fallback thresholds on that file.",
            "Runs its own service instance (unique application id and topics), on the in-process"
                    + " broker unless",
            "bootstrap.servers is configured."
        })
final class BacktestCommand implements Callable<Integer> {

    enum Fallback {
        off,
        on,
        auto
    }

    @Mixin ModelOptions modelOptions;
    @Mixin ServiceOptions serviceOptions;

    @Option(
            names = "--catalog",
            required = true,
            paramLabel = "FILE",
            description = "text,label CSV whose labels become the intents.")
    Path catalog;

    @Option(
            names = "--queries",
            required = true,
            paramLabel = "FILE",
            description =
                    "text,label CSV of queries to replay; label 'oos' = no intent should match.")
    Path queries;

    @Option(
            names = "--validation",
            paramLabel = "FILE",
            description =
                    "text,label CSV (with 'oos' rows) on which to fit per-intent fallback"
                            + " thresholds.")
    Path validation;

    @Option(
            names = "--fallback",
            defaultValue = "auto",
            paramLabel = "off|on|auto",
            description =
                    "off: the best intent always matches; on: thresholds apply (fitted with"
                        + " --validation, else the configured ones); auto: on with --validation,"
                        + " off without. Default: ${DEFAULT-VALUE}.")
    Fallback fallback;

    @Option(
            names = "--compare-offline",
            description =
                    "Also run the offline nearest-neighbour evaluation ('evaluate intent') on the"
                        + " same files and model, and count the queries on which the two disagree.")
    boolean compareOffline;

    @Option(
            names = "--timeout",
            defaultValue = "PT30M",
            description =
                    "How long to wait for all outcomes (ISO-8601). Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<LabelledText> cat = LabelledTextReader.read(catalog);
        List<LabelledText> q = LabelledTextReader.read(queries);
        boolean fallbackOn =
                fallback == Fallback.on || (fallback == Fallback.auto && validation != null);
        if (validation != null && !fallbackOn) {
            throw new IllegalArgumentException(
                    "--validation fits fallback thresholds; it needs --fallback on (or auto)");
        }

        // Offline fitting and comparison score intents the way the service will.
        int neighbours =
                serviceOptions
                        .config(ServiceOptions.ownRun("backtest"), modelOptions.serviceSettings())
                        .neighbours();
        Map<String, Double> thresholds = Map.of();
        Map<String, Object> overrides = new HashMap<>();
        if (validation != null) {
            try (ModelOptions.Loaded loaded = modelOptions.load()) {
                ThresholdFitting.Thresholds fitted =
                        ThresholdFitting.fitAll(
                                cat,
                                LabelledTextReader.read(validation),
                                loaded.encoder(),
                                neighbours);
                thresholds = fitted.perIntent();
                overrides.put(IntentStreamConfig.THRESHOLD_CONFIG, fitted.global());
                out.printf(
                        "fallback thresholds fitted on %s: global %.4f, per intent %.4f..%.4f%n",
                        validation,
                        fitted.global(),
                        thresholds.values().stream().mapToDouble(d -> d).min().orElse(Double.NaN),
                        thresholds.values().stream().mapToDouble(d -> d).max().orElse(Double.NaN));
            }
        }
        String runId = "backtest-" + Long.toString(System.currentTimeMillis(), 36);
        Map<String, Object> defaults = new HashMap<>(ServiceOptions.ownRun(runId));
        defaults.putAll(
                Map.of(
                        // Replay is a batch job: large micro-batches embed fastest.
                        IntentStreamConfig.BATCH_MAX_SIZE_CONFIG,
                        64,
                        // Embedding a catalog of thousands of utterances can take minutes on a busy
                        // CPU, all
                        // of it inside one transaction; the service's 60 s would fence the task
                        // over and over.
                        IntentStreamConfig.STREAMS_PREFIX + "producer.transaction.timeout.ms",
                        600_000));
        overrides.putAll(modelOptions.serviceSettings());
        overrides.put(IntentStreamConfig.FALLBACK_ENABLED_CONFIG, fallbackOn);
        IntentStreamConfig config = serviceOptions.config(defaults, overrides);

        List<IntentDefinition> intents = LabelledCatalog.of(cat, thresholds);
        long start = System.nanoTime();
        OutcomeLedger ledger = new OutcomeLedger();
        List<String> ids = new ArrayList<>(q.size());
        String version;
        double embedSeconds;
        double replaySeconds;
        try (LocalService service = LocalService.start(config, serviceOptions.launchOptions())) {
            out.printf(
                    "service %s on %s; catalog %d intents (%d utterances) from %s%n",
                    config.applicationId(),
                    service.config().bootstrapServers(),
                    intents.size(),
                    cat.size(),
                    catalog);
            out.flush();
            service.loadCatalog(intents);
            Set<String> intentIds =
                    intents.stream()
                            .map(i -> i.getIntentId().toString())
                            .collect(Collectors.toSet());
            version = service.awaitCatalog(intentIds, true, timeout);
            embedSeconds = (System.nanoTime() - start) / 1e9;
            out.printf(
                    "catalog embedded with model %s (%.1f s); replaying %d queries from %s%n",
                    version, embedSeconds, q.size(), queries);
            out.flush();

            long replayStart = System.nanoTime();
            try (OutcomeTail tail = service.followOutcomes(true, ledger);
                    QueryFeeder feeder =
                            new QueryFeeder(
                                    service.clientConfig(),
                                    service.topic(Topics.QUERIES),
                                    Map.of())) {
                for (int i = 0; i < q.size(); i++) {
                    String id = String.format("q%06d", i);
                    ids.add(id);
                    feeder.send(QueryFeeder.query(id, q.get(i).text(), "backtest"));
                }
                feeder.flush();
                Set<String> missing =
                        ledger.awaitAll(
                                ids,
                                timeout,
                                n -> {
                                    out.printf("  %d / %d outcomes%n", n, q.size());
                                    out.flush();
                                });
                if (!missing.isEmpty()) {
                    out.printf(
                            "%d queries without an outcome after %s, e.g. %s%n",
                            missing.size(), timeout, missing.stream().limit(5).toList());
                    out.flush();
                    return 1;
                }
            }
            replaySeconds = (System.nanoTime() - replayStart) / 1e9;
        }

        String[] gold = q.stream().map(LabelledText::label).toArray(String[]::new);
        String[] predicted = new String[q.size()];
        int fallbacks = 0;
        int deadLetters = 0;
        for (int i = 0; i < ids.size(); i++) {
            Outcome o = ledger.get(ids.get(i));
            switch (o.kind()) {
                case MATCHED -> predicted[i] = o.intentId();
                case FALLBACK -> {
                    predicted[i] = LabelledText.OUT_OF_SCOPE;
                    fallbacks++;
                }
                case DEAD_LETTER -> {
                    predicted[i] = LabelledText.OUT_OF_SCOPE;
                    deadLetters++;
                }
            }
        }
        out.printf(
                "model %s  catalog %d  queries %d  (replay %.1f s, %.0f queries/s)%n",
                version, cat.size(), q.size(), replaySeconds, q.size() / replaySeconds);
        out.printf(
                "  stream            accuracy %.2f  macro-F1 %.2f  fallback rate %.2f  dead letters"
                        + " %d",
                100 * ClassificationMetrics.accuracy(gold, predicted),
                100 * ClassificationMetrics.macroF1(gold, predicted),
                100.0 * fallbacks / q.size(),
                deadLetters);
        if (java.util.Arrays.asList(gold).contains(LabelledText.OUT_OF_SCOPE)) {
            out.printf(
                    "  in-scope accuracy %.2f  oos recall %.2f",
                    100 * ClassificationMetrics.inScopeAccuracy(gold, predicted),
                    100 * ClassificationMetrics.outOfScopeRecall(gold, predicted));
        }
        out.println();
        if (!ledger.duplicates().isEmpty()) {
            out.printf("  WARNING: %d duplicate outcomes%n", ledger.duplicates().size());
        }
        out.flush();
        if (compareOffline) {
            compareOffline(out, cat, q, predicted, fallbackOn, neighbours);
        }
        return 0;
    }

    private void compareOffline(
            PrintWriter out,
            List<LabelledText> cat,
            List<LabelledText> q,
            String[] streamed,
            boolean fallbackOn,
            int neighbours) {
        try (ModelOptions.Loaded loaded = modelOptions.load()) {
            IntentEvaluator evaluator = new IntentEvaluator("offline", cat, q, null, neighbours);
            IntentEvaluator.Predictions p = evaluator.predict(loaded.encoder());
            String[] gold = q.stream().map(LabelledText::label).toArray(String[]::new);
            int disagree = 0;
            for (int i = 0; i < streamed.length; i++) {
                if (!p.nnLabels()[i].equals(streamed[i])) {
                    disagree++;
                }
            }
            out.printf(
                    "  offline nearest-neighbour accuracy %.2f  macro-F1 %.2f (evaluate intent,"
                            + " same model%s)%n",
                    100 * ClassificationMetrics.accuracy(gold, p.nnLabels()),
                    100 * ClassificationMetrics.macroF1(gold, p.nnLabels()),
                    fallbackOn ? ", no threshold" : "");
            out.printf(
                    "  queries where stream and offline choose differently: %d of %d%n",
                    disagree, streamed.length);
            out.flush();
        }
    }
}
