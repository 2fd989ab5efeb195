package io.intentstream.trainer.job;

import io.intentstream.trainer.fit.StepRecord;
import io.intentstream.trainer.fit.TrainingListener;
import io.intentstream.trainer.fit.TrainingResult;
import io.intentstream.trainer.publish.ReleaseRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The trainer's progress and release metrics as a file in the Prometheus text format, for the node
 * exporter's textfile collector or any scraper that reads files: a batch job has no port worth
 * scraping between runs, and a file survives the process. The file is rewritten whole (temporary
 * file, then atomic rename) so that a reader never sees half of it.
 *
 * <p>Metrics: examples stored and not yet trained on, the current run's step, total steps, loss and
 * ETA, runs by outcome, and the latest release's version and gate metrics.
 */
public final class TrainerMetricsFile implements TrainingListener {

    private final Path file;
    private final LongSupplier storedExamples;
    private final LongSupplier newExamples;
    private volatile StepRecord lastStep;
    private volatile boolean training;
    private volatile List<ReleaseRecord> history = List.of();

    public TrainerMetricsFile(Path file, LongSupplier storedExamples, LongSupplier newExamples) {
        this.file = file;
        this.storedExamples = storedExamples;
        this.newExamples = newExamples;
    }

    public Path file() {
        return file;
    }

    @Override
    public void onTrainingStart(long startStep, long totalSteps) {
        training = true;
        lastStep = null;
        write();
    }

    @Override
    public void onStep(StepRecord step) {
        lastStep = step;
        write();
    }

    @Override
    public void onTrainingEnd(TrainingResult result) {
        training = false;
        write();
    }

    /**
     * Records the model store's release history (released and rejected runs, oldest first) and
     * rewrites the file.
     */
    public void releases(List<ReleaseRecord> history) {
        this.history = List.copyOf(history);
        write();
    }

    /** Rewrites the file with the current figures. */
    public synchronized void write() {
        StringBuilder out = new StringBuilder();
        gauge(
                out,
                "intentstream_trainer_examples_stored",
                "Training examples in the durable training set",
                storedExamples.getAsLong());
        gauge(
                out,
                "intentstream_trainer_examples_new",
                "Training examples not yet trained on",
                newExamples.getAsLong());
        gauge(
                out,
                "intentstream_trainer_training",
                "1 while a fine-tuning run is in progress",
                training ? 1 : 0);
        StepRecord step = lastStep;
        if (step != null) {
            gauge(
                    out,
                    "intentstream_trainer_step",
                    "Steps done in the current or last run",
                    step.step());
            gauge(
                    out,
                    "intentstream_trainer_steps_total",
                    "Steps the current or last run takes",
                    step.totalSteps());
            gauge(out, "intentstream_trainer_loss", "Loss of the latest step", step.loss());
            double eta = step.etaSeconds();
            gauge(
                    out,
                    "intentstream_trainer_eta_seconds",
                    "Seconds left in the current run at its pace so far",
                    Double.isNaN(eta) ? 0 : eta);
        }
        long released = history.stream().filter(ReleaseRecord::released).count();
        out.append(
                "# HELP intentstream_trainer_runs_total Training runs by gate outcome\n"
                        + "# TYPE intentstream_trainer_runs_total counter\n");
        out.append("intentstream_trainer_runs_total{outcome=\"released\"} ")
                .append(released)
                .append('\n');
        out.append("intentstream_trainer_runs_total{outcome=\"rejected\"} ")
                .append(history.size() - released)
                .append('\n');
        history.stream()
                .filter(ReleaseRecord::released)
                .reduce((a, b) -> b)
                .ifPresent(
                        latest -> {
                            out.append(
                                    "# HELP intentstream_trainer_release_info 1 for the latest"
                                            + " released version\n"
                                            + "# TYPE intentstream_trainer_release_info gauge\n");
                            out.append("intentstream_trainer_release_info{version=\"")
                                    .append(label(latest.version()))
                                    .append("\",parent=\"")
                                    .append(label(String.valueOf(latest.parentVersion())))
                                    .append("\"} 1\n");
                            out.append(
                                    "# HELP intentstream_trainer_release_metric Gate metrics of the"
                                            + " latest released version\n"
                                            + "# TYPE intentstream_trainer_release_metric gauge\n");
                            for (Map.Entry<String, Double> m : latest.metrics().entrySet()) {
                                out.append("intentstream_trainer_release_metric{version=\"")
                                        .append(label(latest.version()))
                                        .append("\",metric=\"")
                                        .append(label(m.getKey()))
                                        .append("\"} ")
                                        .append(number(m.getValue()))
                                        .append('\n');
                            }
                            gauge(
                                    out,
                                    "intentstream_trainer_release_created_seconds",
                                    "When the latest release was made (Unix time)",
                                    latest.createdAt() / 1000.0);
                        });
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, out, StandardCharsets.UTF_8);
            Files.move(
                    tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trainer's metrics file " + file, e);
        }
    }

    private static void gauge(StringBuilder out, String name, String help, double value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
        out.append(name).append(' ').append(number(value)).append('\n');
    }

    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15
                ? Long.toString((long) v)
                : String.format(Locale.ROOT, "%.6g", v);
    }

    private static String label(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
