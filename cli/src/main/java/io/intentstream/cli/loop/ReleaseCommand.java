package io.intentstream.cli.loop;

import io.intentstream.trainer.config.TrainerConfig;
import io.intentstream.trainer.publish.ModelStore;
import io.intentstream.trainer.publish.ReleaseRecord;
import io.intentstream.trainer.publish.ReleaseRollback;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Release history and rollback. */
@Command(
        name = "release",
        mixinStandardHelpOptions = true,
        description = "Lists the model store's history, or re-publishes an earlier release.",
        subcommands = {ReleaseCommand.ListCommand.class, ReleaseCommand.RollbackCommand.class})
public final class ReleaseCommand implements Runnable {

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Prints every training run of the store, released or rejected. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Prints the history of training runs and releases.")
    static final class ListCommand implements Callable<Integer> {
        @Mixin TrainerOptions options;
        @Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            TrainerConfig config = options.config(Map.of(), Map.of());
            PrintWriter out = spec.commandLine().getOut();
            for (ReleaseRecord r : ModelStore.open(config.modelStoreDir()).history()) {
                out.printf(
                        Locale.ROOT,
                        "%s  %-6s %-8s parent %-22s held-out accuracy %s  loss %s  %s%n",
                        Instant.ofEpochMilli(r.createdAt()),
                        r.version(),
                        r.status(),
                        r.parentVersion(),
                        format(r.metrics().get("heldout.accuracy")),
                        format(r.training().get("loss")),
                        r.reason());
            }
            out.flush();
            return 0;
        }
    }

    /** Re-publishes an earlier release so every instance swaps back to it. */
    @Command(
            name = "rollback",
            mixinStandardHelpOptions = true,
            description =
                    "Re-publishes release VERSION from the model store (sha256 checked, catalog"
                            + " re-embedded); every instance swaps to it.")
    static final class RollbackCommand implements Callable<Integer> {
        @Mixin TrainerOptions options;

        @Parameters(index = "0", paramLabel = "VERSION")
        String version;

        @Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            ReleaseRecord r = ReleaseRollback.rollback(options.config(Map.of(), Map.of()), version);
            spec.commandLine().getOut().printf("re-published %s (%s)%n", r.version(), r.modelUri());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    static String format(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
