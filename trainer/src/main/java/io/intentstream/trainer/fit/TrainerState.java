package io.intentstream.trainer.fit;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a run stands, saved with every checkpoint so that a crashed run resumes where it left.
 *
 * @param step optimisation steps done
 * @param epoch the epoch in progress (from 0)
 * @param batchesDoneInEpoch batches of that epoch already trained on
 * @param bestMetric the best primary metric so far, or null
 * @param bestStep the step it was measured at, or −1
 * @param bestMetrics every metric of that evaluation
 * @param evaluationsWithoutImprovement for early stopping
 * @param parentVersion the version of the model the run started from
 */
public record TrainerState(
        long step,
        int epoch,
        int batchesDoneInEpoch,
        Double bestMetric,
        long bestStep,
        Map<String, Double> bestMetrics,
        int evaluationsWithoutImprovement,
        String parentVersion) {

    public static final String FILE_NAME = "trainer-state.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    public TrainerState {
        bestMetrics = bestMetrics == null ? Map.of() : Map.copyOf(bestMetrics);
    }

    static TrainerState start(String parentVersion) {
        return new TrainerState(0, 0, 0, null, -1, Map.of(), 0, parentVersion);
    }

    void write(Path dir) throws IOException {
        Files.writeString(dir.resolve(FILE_NAME), GSON.toJson(this) + "\n", StandardCharsets.UTF_8);
    }

    static TrainerState read(Path dir) throws IOException {
        TrainerState s =
                GSON.fromJson(
                        Files.readString(dir.resolve(FILE_NAME), StandardCharsets.UTF_8),
                        TrainerState.class);
        if (s == null) {
            throw new IOException(dir.resolve(FILE_NAME) + " is empty");
        }
        return s;
    }
}
