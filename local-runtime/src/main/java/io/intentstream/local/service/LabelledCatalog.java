package io.intentstream.local.service;

import io.intentstream.avro.IntentDefinition;
import io.intentstream.trainer.data.LabelledText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a labelled utterance file into a catalog: each label becomes an intent (id, name and route
 * are the label) whose examples are its texts, in file order. Rows labelled {@value
 * LabelledText#OUT_OF_SCOPE} are not an intent and are left out.
 */
public final class LabelledCatalog {

    private LabelledCatalog() {}

    /**
     * @param thresholds per-intent minimum cosine; intents absent from the map use the service
     *     default
     */
    public static List<IntentDefinition> of(
            List<LabelledText> rows, Map<String, Double> thresholds) {
        Map<String, List<String>> examples = new LinkedHashMap<>();
        for (LabelledText row : rows) {
            if (!row.outOfScope()) {
                examples.computeIfAbsent(row.label(), k -> new ArrayList<>()).add(row.text());
            }
        }
        List<IntentDefinition> out = new ArrayList<>();
        examples.forEach(
                (label, texts) -> {
                    Double threshold = thresholds.get(label);
                    out.add(
                            IntentDefinition.newBuilder()
                                    .setIntentId(label)
                                    .setName(label)
                                    .setRoute(label)
                                    .setExamples(texts)
                                    .setThreshold(threshold == null ? null : threshold.floatValue())
                                    .build());
                });
        return out;
    }
}
