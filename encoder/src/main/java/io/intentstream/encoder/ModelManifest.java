package io.intentstream.encoder;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * What intent-stream records beside a saved model: its version and lineage, the sha256 of its
 * weights file and the metrics it was evaluated with.
 *
 * @param version this model's version, e.g. {@code v3}
 * @param parentVersion the version it was fine-tuned from, or null for a base model
 * @param sha256 hex sha256 of {@code model.safetensors}
 * @param metrics evaluation results by name, e.g. {@code sts-dev.spearman}
 * @param createdAt ISO-8601 instant of saving
 */
public record ModelManifest(
        String version,
        String parentVersion,
        String sha256,
        Map<String, Double> metrics,
        String createdAt) {

    public static final String FILE_NAME = "intent-stream-manifest.json";
    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    public ModelManifest {
        metrics = metrics == null ? Map.of() : Map.copyOf(new TreeMap<>(metrics));
    }

    /** A manifest for a model with no recorded lineage. */
    public static ModelManifest base(String version) {
        return new ModelManifest(version, null, null, Map.of(), Instant.EPOCH.toString());
    }

    public ModelManifest withVersion(String newVersion, String parent) {
        return new ModelManifest(newVersion, parent, sha256, metrics, createdAt);
    }

    public ModelManifest withMetrics(Map<String, Double> newMetrics) {
        return new ModelManifest(version, parentVersion, sha256, newMetrics, createdAt);
    }

    ModelManifest sealed(String weightsSha256, Instant at) {
        return new ModelManifest(version, parentVersion, weightsSha256, metrics, at.toString());
    }

    public String toJson() {
        return GSON.toJson(this);
    }

    public static ModelManifest fromJson(String json) {
        return GSON.fromJson(json, ModelManifest.class);
    }
}
