package io.intentstream.schemas;

/**
 * The key of {@link Topics#INTENT_EMBEDDINGS}: {@code modelVersion + "/" + intentId}. The model
 * version comes first so that one version's vectors are a contiguous key range (a prefix scan), and
 * vectors of two versions never share a key.
 *
 * @param modelVersion the model that computed the vectors; must not contain {@code /}
 * @param intentId the intent
 */
public record IntentEmbeddingKey(String modelVersion, String intentId) {

    public static final char SEPARATOR = '/';

    public IntentEmbeddingKey {
        if (modelVersion == null
                || modelVersion.isEmpty()
                || modelVersion.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException(
                    "a model version must be non-empty and without '/': " + modelVersion);
        }
        if (intentId == null || intentId.isEmpty()) {
            throw new IllegalArgumentException("an intent id must be non-empty");
        }
    }

    /** The key prefix that selects every intent of {@code modelVersion}. */
    public static String prefix(String modelVersion) {
        return modelVersion + SEPARATOR;
    }

    public static IntentEmbeddingKey parse(String key) {
        int at = key.indexOf(SEPARATOR);
        if (at <= 0) {
            throw new IllegalArgumentException("not an intent embedding key: " + key);
        }
        return new IntentEmbeddingKey(key.substring(0, at), key.substring(at + 1));
    }

    @Override
    public String toString() {
        return modelVersion + SEPARATOR + intentId;
    }
}
