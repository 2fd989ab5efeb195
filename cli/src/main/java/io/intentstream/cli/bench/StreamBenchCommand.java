package io.intentstream.cli.bench;

import io.intentstream.bench.BenchReport;
import io.intentstream.bench.StreamBench;
import io.intentstream.cli.ModelOptions;
import io.intentstream.cli.ServiceOptions;
import io.intentstream.cli.TextFiles;
import io.intentstream.encoder.SentenceModel;
import io.intentstream.local.service.DemoCatalog;
import io.intentstream.streams.config.IntentStreamConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Parses the options of {@link StreamBench} and runs it. */
@Command(
        name = "stream",
        mixinStandardHelpOptions = true,
        description = {
            "Throughput (queries/s) and produce-to-match latency p50/p99 of the service through the"
                    + " broker",
            "(exactly-once; outcomes read with read_committed), at saturation and at half of it,"
                    + " beside the encoder's",
            "own throughput on the same texts at the service's batch size, measured in the same run"
                    + " (ratio).",
            "Uses the in-process broker unless bootstrap.servers is configured; the demo catalog is"
                    + " the intent set."
        })
public final class StreamBenchCommand implements Callable<Integer> {

    @Mixin ModelOptions modelOptions;
    @Mixin ServiceOptions serviceOptions;

    @Option(
            names = "--data",
            paramLabel = "FILE",
            description =
                    "Query texts (text,label CSV, STS TSV or one a line), cycled as needed;"
                            + " default: the demo catalog's utterances and sample queries.")
    Path data;

    @Option(
            names = "--queries",
            defaultValue = "3000",
            description = "Queries per measured phase. Default: ${DEFAULT-VALUE}.")
    int queries;

    @Option(
            names = "--warmup",
            defaultValue = "300",
            description =
                    "Queries per warm-up round, sent as fast as possible and awaited before"
                            + " measuring. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(
            names = "--warmup-jit",
            defaultValue = "0.05",
            paramLabel = "CORES",
            description =
                    "Warm up until a full-speed and a half-load round in a row each keep the JIT"
                            + " below this share of a core. Default: ${DEFAULT-VALUE}.")
    double warmupJitCores;

    @Option(
            names = "--warmup-max",
            defaultValue = "PT4M",
            description =
                    "Longest warm-up (ISO-8601), after which measuring starts regardless. Default:"
                            + " ${DEFAULT-VALUE}.")
    Duration warmupMax;

    @Option(
            names = "--timeout",
            defaultValue = "PT20M",
            description =
                    "Longest wait for one phase's outcomes (ISO-8601). Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Mixin BenchOutputOptions output;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<String> texts = data != null ? TextFiles.read(data, 0) : DemoCatalog.queryTexts();
        String runId = "bench-" + Long.toString(System.currentTimeMillis(), 36);
        IntentStreamConfig config =
                serviceOptions.config(ServiceOptions.ownRun(runId), modelOptions.serviceSettings());
        StreamBench.Settings settings =
                new StreamBench.Settings(
                        config,
                        serviceOptions.launchOptions(),
                        texts,
                        queries,
                        warmup,
                        warmupJitCores,
                        warmupMax,
                        timeout);
        BenchReport report = BenchReport.start("stream", Clock.systemUTC());
        try (SentenceModel model = modelOptions.loadModel()) {
            new StreamBench(settings).run(model, out, report);
        }
        output.write(report, out);
        return 0;
    }
}
