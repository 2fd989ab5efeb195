package io.intentstream.trainer.fit;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.intentstream.trainer.evaluation.EvaluationResult;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Appends one JSON object per line to a training log: every {@code loggingSteps} steps the mean
 * loss over them, learning rate, gradient norm and throughput; each evaluation's metrics; the run's
 * end. A resumed run appends to the same file.
 */
public final class JsonLinesTrainingLog implements TrainingListener, AutoCloseable {

    public static final String FILE_NAME = "training-log.jsonl";
    private static final Gson GSON = new Gson();

    private final BufferedWriter out;
    private final int loggingSteps;
    private double lossSum;
    private int lossCount;
    private long windowExamples;
    private long windowStartNanos;

    public JsonLinesTrainingLog(Path file, int loggingSteps) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.out =
                Files.newBufferedWriter(
                        file,
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
        this.loggingSteps = loggingSteps;
    }

    @Override
    public void onTrainingStart(long startStep, long totalSteps) {
        JsonObject o = record("start", startStep);
        o.addProperty("total_steps", totalSteps);
        write(o);
    }

    @Override
    public void onStep(StepRecord s) {
        lossSum += s.loss();
        lossCount++;
        windowExamples += s.examples();
        if (s.step() % loggingSteps == 0 || s.step() == s.totalSteps()) {
            JsonObject o = record("step", s.step());
            o.addProperty("epoch", s.epoch());
            o.addProperty("loss", lossSum / lossCount);
            o.addProperty("learning_rate", s.learningRate());
            o.addProperty("grad_norm", s.gradNorm());
            double seconds = (s.elapsedNanos() - windowStartNanos) / 1e9;
            o.addProperty("examples_per_second", seconds > 0 ? windowExamples / seconds : 0);
            write(o);
            lossSum = 0;
            lossCount = 0;
            windowExamples = 0;
            windowStartNanos = s.elapsedNanos();
        }
    }

    @Override
    public void onEvaluation(long step, int epoch, EvaluationResult result, boolean best) {
        JsonObject o = record("evaluation", step);
        o.addProperty("epoch", epoch);
        o.addProperty("primary_metric", result.primaryMetric());
        o.add("metrics", GSON.toJsonTree(result.metrics()));
        o.addProperty("best", best);
        write(o);
    }

    @Override
    public void onCheckpoint(long step, Path dir) {
        JsonObject o = record("checkpoint", step);
        o.addProperty("dir", dir.toString());
        write(o);
    }

    @Override
    public void onTrainingEnd(TrainingResult r) {
        JsonObject o = record("end", r.steps());
        o.addProperty("model_dir", r.modelDir().toString());
        o.addProperty("train_seconds", r.trainSeconds());
        o.addProperty("step_seconds", r.stepSeconds());
        o.addProperty("examples_per_second", r.examplesPerSecond());
        o.addProperty("stopped_early", r.stoppedEarly());
        o.add("metrics", GSON.toJsonTree(Map.copyOf(r.metrics())));
        write(o);
    }

    private static JsonObject record(String type, long step) {
        JsonObject o = new JsonObject();
        o.addProperty("type", type);
        o.addProperty("step", step);
        o.addProperty("time", java.time.Instant.now().toString());
        return o;
    }

    private void write(JsonObject o) {
        try {
            out.write(GSON.toJson(o));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the training log", e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
