package io.intentstream.trainer.publish;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.util.Map;

/**
 * What the model store remembers of one training run: the version, its lineage, where the model
 * is and its sha256 (for a release), the gate's metrics of both models, the fitted thresholds,
 * how services score intents under it, the training figures, and whether it was released or
 * rejected (with the reason).
 *
 * @param status {@value #RELEASED} or {@value #REJECTED}
 * @param metrics the candidate's metrics, plus the current release's under {@code current.*}
 * @param neighbours how many of an intent's closest texts its score averages under this release
 *     (what the gate and the thresholds used); null for records that name none
 * @param training figures of the run: examples, new examples, replayed, steps, final loss, seconds
 */
public record ReleaseRecord(
        String version,
        String parentVersion,
        String modelUri,
        String sha256,
        Map<String, Double> metrics,
        Map<String, Double> thresholds,
        Integer neighbours,
        Map<String, Double> training,
        long createdAt,
        String status,
        String reason) {

    public static final String RELEASED = "released";
    public static final String REJECTED = "rejected";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    public ReleaseRecord {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        thresholds = thresholds == null ? Map.of() : Map.copyOf(thresholds);
        training = training == null ? Map.of() : Map.copyOf(training);
    }

    public boolean released() {
        return RELEASED.equals(status);
    }

    public String toJson() {
        return GSON.toJson(this);
    }

    public static ReleaseRecord fromJson(String json) {
        return GSON.fromJson(json, ReleaseRecord.class);
    }
}
