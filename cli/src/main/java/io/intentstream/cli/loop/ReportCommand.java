package io.intentstream.cli.loop;

import io.intentstream.trainer.config.TrainerConfig;
import io.intentstream.trainer.publish.ModelStore;
import io.intentstream.trainer.publish.ReleaseChart;
import io.intentstream.trainer.publish.ReleaseRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Renders the release history as an HTML page with SVG charts. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Renders held-out accuracy (candidate and the release it was compared with) and training loss per training run "
                + "as a self-contained HTML page with SVG charts.")
public final class ReportCommand implements Callable<Integer> {

    @Mixin TrainerOptions options;

    @Option(names = "--output", defaultValue = "release-report.html", paramLabel = "FILE", description = "Default: ${DEFAULT-VALUE}.")
    Path output;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TrainerConfig config = options.config(Map.of(), Map.of());
        List<ReleaseRecord> history = ModelStore.open(config.modelStoreDir()).history();
        Files.writeString(output, render(history));
        spec.commandLine().getOut().printf("%d training runs charted in %s%n", history.size(), output.toAbsolutePath());
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The page for {@code history}; also used by {@code demo loop}, which adds test accuracy. */
    public static String render(List<ReleaseRecord> history) {
        return render(history, Map.of(), List.of());
    }

    static String render(List<ReleaseRecord> history, Map<String, double[]> extraAccuracy, List<String> notes) {
        List<String> labels = new ArrayList<>();
        int n = history.size();
        double[] candidate = new double[n];
        double[] current = new double[n];
        double[] loss = new double[n];
        for (int i = 0; i < n; i++) {
            ReleaseRecord r = history.get(i);
            labels.add(r.version() + (r.released() ? "" : " (rejected)"));
            candidate[i] = r.metrics().getOrDefault("heldout.accuracy", Double.NaN);
            current[i] = r.metrics().getOrDefault("current.heldout.accuracy", Double.NaN);
            loss[i] = r.training().getOrDefault("loss", Double.NaN);
        }
        Map<String, double[]> accuracy = new LinkedHashMap<>();
        accuracy.put("held-out accuracy, candidate", candidate);
        accuracy.put("held-out accuracy, parent", current);
        accuracy.putAll(extraAccuracy);
        return ReleaseChart.html("intent-stream releases", labels,
                List.of(new ReleaseChart.Panel("Accuracy per training run", accuracy),
                        new ReleaseChart.Panel("Training loss (smoothed, end of run)", Map.of("loss", loss))),
                notes);
    }
}
