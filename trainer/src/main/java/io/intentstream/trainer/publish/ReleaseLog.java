package io.intentstream.trainer.publish;

import io.intentstream.avro.ModelRelease;
import io.intentstream.schemas.Topics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The releases announced on the models topic. The one in service is the most recently published
 * (largest record timestamp), which is how a rollback, re-publishing an older version, takes
 * effect.
 */
public final class ReleaseLog {

    /** A release with the time it was published. */
    public record Published(ModelRelease release, long timestamp) {}

    private final Map<String, Published> byVersion;
    private final Published latest;

    private ReleaseLog(Map<String, Published> byVersion, Published latest) {
        this.byVersion = byVersion;
        this.latest = latest;
    }

    /** Reads the whole models topic (committed records only). */
    public static ReleaseLog read(Map<String, Object> clientConfig, String topicPrefix) {
        List<Published> announced = new ArrayList<>();
        TopicSnapshot.read(
                clientConfig,
                Topics.MODELS.withPrefix(topicPrefix),
                r -> {
                    if (r.value() != null) {
                        announced.add(new Published(r.value(), r.timestamp()));
                    }
                });
        Map<String, Published> byVersion = new LinkedHashMap<>();
        Published latest = null;
        for (Published p : announced) {
            byVersion.put(p.release().getVersion(), p);
            if (latest == null || p.timestamp() >= latest.timestamp()) {
                latest = p;
            }
        }
        return new ReleaseLog(byVersion, latest);
    }

    /** The release in service, if any was published. */
    public Optional<ModelRelease> current() {
        return Optional.ofNullable(latest).map(Published::release);
    }

    public boolean announced(String version) {
        return byVersion.containsKey(version);
    }

    /** The most recent announcement of {@code version}, if any. */
    public Optional<ModelRelease> release(String version) {
        return Optional.ofNullable(byVersion.get(version)).map(Published::release);
    }
}
