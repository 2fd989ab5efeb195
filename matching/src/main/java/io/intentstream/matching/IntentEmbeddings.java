package io.intentstream.matching;

import io.intentstream.avro.IntentDefinition;
import io.intentstream.avro.IntentEmbedding;
import io.intentstream.schemas.EmbeddingVectors;
import java.util.List;

/**
 * The one rule for an intent's vector record ({@link IntentEmbedding}), used by the service when it
 * embeds the catalog and by the trainer when it publishes a release: which utterances are embedded,
 * which threshold the record carries, and how the vectors are laid out (the utterances' first, then
 * any exemplars'). Also reads a record back as {@link IntentVectors}.
 */
public final class IntentEmbeddings {

    private IntentEmbeddings() {}

    /** The utterances of {@code definition} that are embedded: its non-blank examples, in order. */
    public static List<String> utterances(IntentDefinition definition) {
        return definition.getExamples().stream().filter(e -> !e.isBlank()).toList();
    }

    /** Whether {@code definition} is matched at all: active, with at least one utterance. */
    public static boolean servable(IntentDefinition definition) {
        return definition.getActive() && !utterances(definition).isEmpty();
    }

    /**
     * The vector record of {@code definition} under {@code modelVersion}. The intent's own
     * threshold wins over the one fitted for the version.
     *
     * @param fittedThreshold the version's fitted threshold for the intent, or null
     * @param vectors (utterances + exemplars, dimension): the utterances' vectors, then the
     *     exemplars'
     * @param exemplars how many of {@code vectors}, at the end, are exemplars
     */
    public static IntentEmbedding of(
            String modelVersion,
            IntentDefinition definition,
            Float fittedThreshold,
            int dimension,
            float[][] vectors,
            int exemplars) {
        if (exemplars < 0 || exemplars > vectors.length) {
            throw new IllegalArgumentException(
                    exemplars + " exemplars among " + vectors.length + " vectors");
        }
        return IntentEmbedding.newBuilder()
                .setModelVersion(modelVersion)
                .setIntentId(definition.getIntentId())
                .setRoute(definition.getRoute())
                .setThreshold(
                        definition.getThreshold() != null
                                ? definition.getThreshold()
                                : fittedThreshold)
                .setDimension(dimension)
                .setVectors(EmbeddingVectors.pack(vectors, dimension))
                .setExemplars(exemplars)
                .build();
    }

    /** The vectors of {@code embedding} as the index takes them. */
    public static IntentVectors vectors(IntentEmbedding embedding) {
        return new IntentVectors(
                embedding.getIntentId(),
                embedding.getRoute(),
                embedding.getThreshold(),
                EmbeddingVectors.unpack(embedding.getVectors(), embedding.getDimension()));
    }
}
