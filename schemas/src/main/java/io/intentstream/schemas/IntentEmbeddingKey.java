package io.intentstream.schemas;

/**
 * The key of {@link Topics#INTENT_EMBEDDINGS}: {@code modelVersion + "/" + intentId}, and for a
 * part after the first of a large intent's vectors, a unit separator (U+001F) and the part number
 * after that. The model version comes first so that one version's vectors are a contiguous key
 * range (a prefix scan), and vectors of two versions never share a key.
 *
 * @param modelVersion the model that computed the vectors; must not contain {@code /}
 * @param intentId the intent; must not contain the unit separator
 * @param part which part of the intent's vectors, from 0
 */
public record IntentEmbeddingKey(String modelVersion, String intentId, int part) {

    public static final char SEPARATOR = '/';

    /** Between an intent id and a part number; intent ids may not contain it. */
    public static final char PART_SEPARATOR = '\u001F';

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
        if (intentId.indexOf(PART_SEPARATOR) >= 0) {
            throw new IllegalArgumentException("an intent id must not contain U+001F");
        }
        if (part < 0) {
            throw new IllegalArgumentException("a part number must not be negative: " + part);
        }
    }

    /** The key of the first (or only) record of an intent's vectors. */
    public IntentEmbeddingKey(String modelVersion, String intentId) {
        this(modelVersion, intentId, 0);
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
        String rest = key.substring(at + 1);
        int cut = rest.indexOf(PART_SEPARATOR);
        if (cut < 0) {
            return new IntentEmbeddingKey(key.substring(0, at), rest, 0);
        }
        String number = rest.substring(cut + 1);
        if (number.isEmpty()
                || number.length() > 9
                || !number.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("not an intent embedding key: bad part number");
        }
        int part = Integer.parseInt(number);
        if (part == 0) {
            throw new IllegalArgumentException("not an intent embedding key: part 0 has no suffix");
        }
        return new IntentEmbeddingKey(key.substring(0, at), rest.substring(0, cut), part);
    }

    /** This key for another part of the same intent's vectors. */
    public IntentEmbeddingKey withPart(int other) {
        return new IntentEmbeddingKey(modelVersion, intentId, other);
    }

    @Override
    public String toString() {
        return modelVersion
                + SEPARATOR
                + intentId
                + (part == 0 ? "" : PART_SEPARATOR + Integer.toString(part));
    }
}
