package io.intentstream.cli;

import io.intentstream.avro.IntentDefinition;
import io.intentstream.local.service.LabelledCatalog;
import io.intentstream.local.service.Outcome;
import io.intentstream.local.service.Replay;
import io.intentstream.streams.config.IntentStreamConfig;
import io.intentstream.trainer.data.LabelledText;
import io.intentstream.trainer.data.LabelledTextReader;
import io.intentstream.trainer.evaluation.ClassificationMetrics;
import io.intentstream.trainer.evaluation.IntentEvaluator;
import io.intentstream.trainer.promote.ThresholdFitting;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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
        out.printf("catalog %s (%d utterances); queries %s%n", catalog, cat.size(), queries);
        Replay.Result replay =
                Replay.run(
                        config,
                        serviceOptions.launchOptions(),
                        intents,
                        q.stream().map(LabelledText::text).toList(),
                        timeout,
                        Clock.systemUTC(),
                        out);
        if (!replay.missing().isEmpty()) {
            out.printf(
                    "%d queries without an outcome after %s, e.g. %s%n",
                    replay.missing().size(), timeout, replay.missing().stream().limit(5).toList());
            out.flush();
            return 1;
        }
        String version = replay.modelVersion();
        double replaySeconds = replay.replaySeconds();
        String[] gold = q.stream().map(LabelledText::label).toArray(String[]::new);
        String[] predicted = replay.labels(LabelledText.OUT_OF_SCOPE);
        long fallbacks = replay.count(Outcome.Kind.FALLBACK);
        long deadLetters = replay.count(Outcome.Kind.DEAD_LETTER);
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
        if (!replay.duplicates().isEmpty()) {
            out.printf("  WARNING: %d duplicate outcomes%n", replay.duplicates().size());
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
