package io.intentstream.cli.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Groups the benchmarks. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks, each reported against a baseline measured in the same run.",
        subcommands = {EncoderBenchCommand.class, StreamBenchCommand.class, SoakBenchCommand.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
