package io.intentstream.cli.loop;

import io.intentstream.trainer.config.TrainerConfig;
import io.intentstream.trainer.job.TrainerJob;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs the trainer job until the process is stopped. */
@Command(name = "trainer", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the trainer job: stores confirmed examples from the training-examples topic, fine-tunes the current "
                + "release on schedule, and releases a candidate that passes the gate (model store + models topic).",
                "Needs a running cluster (bootstrap.servers); stop with Ctrl-C."})
public final class TrainerCommand implements Callable<Integer> {

    @Mixin TrainerOptions options;

    @Override
    public Integer call() throws Exception {
        TrainerConfig config = options.config(Map.of(), Map.of());
        AtomicBoolean stop = new AtomicBoolean();
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.set(true);
            try {
                main.join(120_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "trainer-shutdown"));
        try (TrainerJob job = new TrainerJob(config)) {
            job.run(stop::get);
        }
        return 0;
    }
}
