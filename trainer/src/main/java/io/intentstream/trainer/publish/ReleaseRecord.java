package io.intentstream.trainer.publish;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.util.Map;

/**
 * What the model store remembers of one training run: the version, its lineage, where the model is
 * and its sha256 (for a release), the gate's metrics of both models, the fitted thresholds, how
 * services score intents under it, the training figures, and whether it was released or rejected
 * (with the reason).
 *
 * @param status {@value #RELEASED} or {@value #REJECTED}
 * @param metrics the candidate's metrics, plus the current release's under {@code current.*}
 * @param neighbours how many of an intent's closest texts its score averages under this release
 *     (what the gate and the thresholds used); null for records that name none
 * @param training figures of the run: examples, new examples, replayed, steps, final loss, seconds
 * @param sequence the announcement number of a release (or rollback): each takes the next, and
 *     services serve the highest they accept; 0 for a rejected run
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
        String reason,
        long sequence) {

    public static final String RELEASED = "released";
    public static final String REJECTED = "rejected";
    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    public ReleaseRecord {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        thresholds = thresholds == null ? Map.of() : Map.copyOf(thresholds);
        training = training == null ? Map.of() : Map.copyOf(training);
    }

    /** A builder for the record of {@code version}'s run, trained from {@code parentVersion}. */
    public static Builder builder(String version, String parentVersion) {
        return new Builder(version, parentVersion);
    }

    /** Builds a run's record: what every run has, then {@link #released} or {@link #rejected}. */
    public static final class Builder {
        private final String version;
        private final String parentVersion;
        private Map<String, Double> metrics = Map.of();
        private Map<String, Double> training = Map.of();
        private long createdAt;
        private long sequence;

        private Builder(String version, String parentVersion) {
            this.version = version;
            this.parentVersion = parentVersion;
        }

        /**
         * The gate's metrics: the candidate's, and the current release's under {@code current.*}.
         */
        public Builder metrics(Map<String, Double> metrics) {
            this.metrics = metrics;
            return this;
        }

        /** The run's figures. */
        public Builder training(Map<String, Double> training) {
            this.training = training;
            return this;
        }

        /** The announcement number of a release; see {@link ModelStore#nextSequence()}. */
        public Builder sequence(long sequence) {
            this.sequence = sequence;
            return this;
        }

        /** When the record was made, in epoch milliseconds. */
        public Builder createdAt(long epochMillis) {
            this.createdAt = epochMillis;
            return this;
        }

        /** The record of a release stored at {@code modelUri}. */
        public ReleaseRecord released(
                String modelUri,
                String sha256,
                Map<String, Double> thresholds,
                Integer neighbours,
                String reason) {
            return new ReleaseRecord(
                    version,
                    parentVersion,
                    modelUri,
                    sha256,
                    metrics,
                    thresholds,
                    neighbours,
                    training,
                    createdAt,
                    RELEASED,
                    reason,
                    sequence);
        }

        /** The record of a candidate that was not released, and why. */
        public ReleaseRecord rejected(String reason) {
            return new ReleaseRecord(
                    version,
                    parentVersion,
                    null,
                    null,
                    metrics,
                    Map.of(),
                    null,
                    training,
                    createdAt,
                    REJECTED,
                    reason,
                    0L);
        }
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
