package io.intentstream.cli.bench;

import io.intentstream.bench.BenchReport;
import io.intentstream.bench.SoakBench;
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

/** Parses the options of {@link SoakBench} and runs it. */
@Command(
        name = "soak",
        mixinStandardHelpOptions = true,
        description = {
            "Fixed load through the broker for --minutes; prints per minute: queries sent and"
                    + " answered, RSS, heap in use",
            "at the minute's end, and produce-to-outcome latency p50/p99 of that minute's queries.",
            "Ends with the first and last full minutes side by side, and checks that every query"
                    + " got exactly one outcome.",
            "Uses the in-process broker unless bootstrap.servers is configured (RSS then includes"
                    + " the broker)."
        })
public final class SoakBenchCommand implements Callable<Integer> {

    @Mixin ModelOptions modelOptions;
    @Mixin ServiceOptions serviceOptions;

    @Option(
            names = "--minutes",
            defaultValue = "30",
            description = "How long to run. Default: ${DEFAULT-VALUE}.")
    int minutes;

    @Option(
            names = "--rate",
            defaultValue = "20",
            description = "Queries per second offered. Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(
            names = "--data",
            paramLabel = "FILE",
            description =
                    "Query texts (text,label CSV, STS TSV or one a line), cycled; default: the demo"
                            + " catalog's utterances and sample queries.")
    Path data;

    @Option(
            names = "--timeout",
            defaultValue = "PT5M",
            description =
                    "Longest wait for the last queries' outcomes at the end. Default:"
                            + " ${DEFAULT-VALUE}.")
    Duration timeout;

    @Mixin BenchOutputOptions output;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (minutes < 1 || rate <= 0) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--minutes must be at least 1 and --rate positive");
        }
        PrintWriter out = spec.commandLine().getOut();
        List<String> texts = data != null ? TextFiles.read(data, 0) : DemoCatalog.queryTexts();
        String runId = "soak-" + Long.toString(System.currentTimeMillis(), 36);
        IntentStreamConfig config =
                serviceOptions.config(ServiceOptions.ownRun(runId), modelOptions.serviceSettings());
        SoakBench.Settings settings =
                new SoakBench.Settings(
                        config,
                        serviceOptions.launchOptions(),
                        runId,
                        texts,
                        minutes,
                        rate,
                        timeout);
        BenchReport report = BenchReport.start("soak", Clock.systemUTC());
        boolean clean;
        try (SentenceModel model = modelOptions.loadModel()) {
            clean = new SoakBench(settings).run(model, out, report);
        } finally {
            out.flush();
        }
        output.write(report, out);
        return clean ? 0 : 1;
    }
}
