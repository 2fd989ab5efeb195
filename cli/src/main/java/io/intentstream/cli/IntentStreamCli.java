package io.intentstream.cli;

import io.intentstream.cli.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code intent-stream} launcher: one command line over the encoder, the service and the
 * trainer.
 */
@Command(
        name = "intent-stream",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description =
                "Routes support queries to intents with sentence embeddings, and learns from"
                        + " confirmed matches.",
        subcommands = {
            EmbedCommand.class,
            ExportCommand.class,
            EvaluateCommand.class,
            FitCommand.class,
            BenchCommand.class,
            RunCommand.class,
            DemoCommand.class,
            BacktestCommand.class,
            io.intentstream.cli.loop.TrainerCommand.class,
            io.intentstream.cli.loop.ReleaseCommand.class,
            io.intentstream.cli.loop.ReportCommand.class,
            CommandLine.HelpCommand.class
        })
public final class IntentStreamCli implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, also used by tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new IntentStreamCli())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(
                        (e, cmd, parsed) -> {
                            cmd.getErr()
                                    .println(
                                            cmd.getColorScheme()
                                                    .errorText("error: " + e.getMessage()));
                            org.slf4j.LoggerFactory.getLogger(IntentStreamCli.class)
                                    .debug("command failed", e);
                            return 1;
                        });
    }
}
