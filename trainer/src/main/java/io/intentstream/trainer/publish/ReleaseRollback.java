package io.intentstream.trainer.publish;

import io.intentstream.encoder.DeviceChoice;
import io.intentstream.encoder.DjlSentenceEncoder;
import io.intentstream.encoder.ModelLoader;
import io.intentstream.encoder.SentenceModel;
import io.intentstream.trainer.config.TrainerConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts an earlier release back into service: checks its stored model against its sha256, re-embeds
 * the current catalog and the release's own exemplars with it and re-publishes its release, which
 * services treat as the newest (they follow the most recently published release). The history
 * records the rollback.
 */
public final class ReleaseRollback {

    private static final Logger log = LoggerFactory.getLogger(ReleaseRollback.class);

    private ReleaseRollback() {}

    public static ReleaseRecord rollback(TrainerConfig config, String version) throws IOException {
        ModelStore store = ModelStore.open(config.modelStoreDir());
        List<String> released =
                store.history().stream()
                        .filter(ReleaseRecord::released)
                        .map(ReleaseRecord::version)
                        .distinct()
                        .toList();
        ReleaseRecord original =
                store.release(version)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "no release "
                                                        + version
                                                        + " in "
                                                        + store.root()
                                                        + "; released versions: "
                                                        + released));
        store.verify(version);
        var catalog = CatalogReader.read(config.clientConfig(), config.topicPrefix());
        ReleaseRecord again =
                ReleaseRecord.builder(original.version(), original.parentVersion())
                        .metrics(original.metrics())
                        .training(original.training())
                        .createdAt(System.currentTimeMillis())
                        .sequence(store.nextSequence())
                        .released(
                                store.modelDir(version).toUri().toString(),
                                original.sha256(),
                                original.thresholds(),
                                original.neighbours(),
                                "rollback to " + version);
        try (SentenceModel model =
                        ModelLoader.load(
                                store.modelDir(version).toString(),
                                DeviceChoice.parse(config.modelDevice()).resolve());
                DjlSentenceEncoder encoder = new DjlSentenceEncoder(model);
                ReleasePublisher publisher =
                        new ReleasePublisher(
                                config.clientConfig(),
                                config.topicPrefix(),
                                config.groupId() + "-rollback")) {
            publisher.publish(
                    ReleasePublisher.release(again, config.releaseSigningKey()),
                    encoder,
                    new ArrayList<>(catalog.values()),
                    ReleaseExemplars.read(store.modelDir(version)));
        }
        store.record(again);
        log.info("Rolled back to {}", version);
        return again;
    }
}
