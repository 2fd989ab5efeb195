package io.intentstream.matching;

import io.intentstream.avro.IntentDefinition;
import io.intentstream.avro.IntentEmbedding;
import io.intentstream.schemas.EmbeddingVectors;
import io.intentstream.schemas.IntentEmbeddingKey;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;

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

    /** Longest vector a record may declare. */
    public static final int MAX_DIMENSION = 65_536;

    /**
     * What is wrong with {@code embedding} stored under {@code key}, or empty when it can be
     * matched against: the key names its version and intent, the bytes hold a whole number of
     * vectors of its dimension (at least one), its exemplars are among them, and every value is
     * finite. A record from the topic is checked before anything is built from it.
     */
    public static Optional<String> problem(String key, IntentEmbedding embedding) {
        IntentEmbeddingKey parsed;
        try {
            parsed = IntentEmbeddingKey.parse(key);
        } catch (IllegalArgumentException e) {
            return Optional.of("the key is not modelVersion/intentId");
        }
        if (!parsed.modelVersion().equals(embedding.getModelVersion().toString())
                || !parsed.intentId().equals(embedding.getIntentId().toString())) {
            return Optional.of("the key names another version or intent than the record");
        }
        int dimension = embedding.getDimension();
        if (dimension < 1 || dimension > MAX_DIMENSION) {
            return Optional.of("dimension " + dimension + " is outside 1.." + MAX_DIMENSION);
        }
        ByteBuffer bytes = embedding.getVectors().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long rowBytes = (long) Float.BYTES * dimension;
        if (bytes.remaining() == 0 || bytes.remaining() % rowBytes != 0) {
            return Optional.of(
                    bytes.remaining()
                            + " bytes are not a whole number of vectors of dimension "
                            + dimension);
        }
        long rows = bytes.remaining() / rowBytes;
        if (embedding.getExemplars() < 0 || embedding.getExemplars() > rows) {
            return Optional.of(embedding.getExemplars() + " exemplars among " + rows + " vectors");
        }
        while (bytes.hasRemaining()) {
            if (!Float.isFinite(bytes.getFloat())) {
                return Optional.of("a vector holds a value that is not finite");
            }
        }
        return Optional.empty();
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
