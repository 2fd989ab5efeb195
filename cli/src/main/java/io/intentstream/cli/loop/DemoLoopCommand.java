package io.intentstream.cli.loop;

import io.intentstream.cli.ServiceOptions;
import io.intentstream.local.loop.DemoLoop;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Parses the options of {@link DemoLoop} and runs it. */
@Command(
        name = "loop",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "The learning loop on a labelled data set (DIR/train.csv, DIR/test.csv with header"
                    + " text,label):",
            "catalog = the first --per-intent utterances of each label in train.csv; the rest"
                    + " streams in as queries in chunks of",
            "--release-every, each match confirmed or corrected with the true label; after each"
                    + " chunk the trainer job runs",
            "(fine-tune, gate, release) and the test accuracy of the version in service is printed."
        })
public final class DemoLoopCommand implements Callable<Integer> {

    @Mixin ServiceOptions serviceOptions;
    @Mixin TrainerOptions trainerOptions;

    @Option(
            names = "--data",
            required = true,
            paramLabel = "DIR",
            description = "Directory with train.csv and test.csv.")
    Path data;

    @Option(
            names = "--per-intent",
            defaultValue = "5",
            description = "Catalog utterances per intent. Default: ${DEFAULT-VALUE}.")
    int perIntent;

    @Option(
            names = "--release-every",
            defaultValue = "2000",
            description = "Queries (with feedback) per training run. Default: ${DEFAULT-VALUE}.")
    int releaseEvery;

    @Option(
            names = "--max-queries",
            defaultValue = "-1",
            description = "Stream at most this many queries (-1: all). Default: all.")
    int maxQueries;

    @Option(
            names = "--max-test",
            defaultValue = "-1",
            description = "Evaluate on at most this many test rows (-1: all). Default: all.")
    int maxTest;

    @Option(
            names = "--work-dir",
            paramLabel = "DIR",
            description =
                    "Trainer state and model store (kept afterwards). Default: a new temporary"
                            + " directory.")
    Path workDir;

    @Option(
            names = "--chart",
            defaultValue = "demo-loop-report.html",
            paramLabel = "FILE",
            description = "Default: ${DEFAULT-VALUE}.")
    Path chart;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Order of the streamed queries. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--timeout",
            defaultValue = "PT30M",
            description =
                    "Longest wait for the service per step (ISO-8601). Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        DemoLoop.Settings settings =
                new DemoLoop.Settings(
                        data,
                        perIntent,
                        releaseEvery,
                        maxQueries,
                        maxTest,
                        workDir,
                        chart,
                        seed,
                        timeout);
        new DemoLoop(settings, Clock.systemUTC())
                .run(
                        defaults -> serviceOptions.config(defaults, Map.of()),
                        serviceOptions.launchOptions(),
                        defaults -> trainerOptions.config(defaults, Map.of()),
                        spec.commandLine().getOut());
        return 0;
    }
}
