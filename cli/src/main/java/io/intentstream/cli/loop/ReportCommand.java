package io.intentstream.cli.loop;

import io.intentstream.local.loop.ReleaseReport;
import io.intentstream.trainer.config.TrainerConfig;
import io.intentstream.trainer.publish.ModelStore;
import io.intentstream.trainer.publish.ReleaseRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Renders the release history as an HTML page with SVG charts. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description =
                "Renders held-out accuracy (candidate and the release it was compared with) and"
                        + " training loss per training run as a self-contained HTML page with SVG"
                        + " charts.")
public final class ReportCommand implements Callable<Integer> {

    @Mixin TrainerOptions options;

    @Option(
            names = "--output",
            defaultValue = "release-report.html",
            paramLabel = "FILE",
            description = "Default: ${DEFAULT-VALUE}.")
    Path output;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TrainerConfig config = options.config(Map.of(), Map.of());
        List<ReleaseRecord> history = ModelStore.open(config.modelStoreDir()).history();
        Files.writeString(output, ReleaseReport.html(history));
        spec.commandLine()
                .getOut()
                .printf(
                        "%d training runs charted in %s%n",
                        history.size(), output.toAbsolutePath());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
