package io.intentstream.trainer.publish;

import io.intentstream.avro.IntentDefinition;
import io.intentstream.schemas.Topics;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the whole (compacted) intents topic into the catalog as it stands. */
public final class CatalogReader {

    private CatalogReader() {}

    public static Map<String, IntentDefinition> read(
            Map<String, Object> clientConfig, String topicPrefix) {
        Map<String, IntentDefinition> catalog = new LinkedHashMap<>();
        TopicSnapshot.read(
                clientConfig,
                Topics.INTENTS.withPrefix(topicPrefix),
                r -> {
                    if (r.key() == null) {
                        return;
                    }
                    if (r.value() == null) {
                        catalog.remove(r.key());
                    } else {
                        catalog.put(r.key(), r.value());
                    }
                });
        return catalog;
    }
}
