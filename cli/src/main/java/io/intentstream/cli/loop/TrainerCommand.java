package io.intentstream.cli.loop;

import io.intentstream.trainer.job.TrainerMain;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs the trainer job until the process is stopped. */
@Command(
        name = "trainer",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs the trainer job: stores confirmed examples from the training-examples topic,"
                    + " fine-tunes the current release on schedule, and releases a candidate that"
                    + " passes the gate (model store + models topic).",
            "Needs a running cluster (bootstrap.servers); stop with Ctrl-C. Progress and release"
                    + " metrics go to <state.dir>/metrics.prom."
        })
public final class TrainerCommand implements Callable<Integer> {

    @Mixin TrainerOptions options;

    @Override
    public Integer call() throws Exception {
        TrainerMain.runUntilShutdown(options.config(Map.of(), Map.of()), () -> {});
        return 0;
    }
}
