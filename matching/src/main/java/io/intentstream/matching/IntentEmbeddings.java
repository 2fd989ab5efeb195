package io.intentstream.matching;

import io.intentstream.avro.IntentDefinition;
import io.intentstream.avro.IntentEmbedding;
import io.intentstream.schemas.EmbeddingVectors;
import io.intentstream.schemas.IntentEmbeddingKey;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The one rule for an intent's vector records ({@link IntentEmbedding}), used by the service when
 * it embeds the catalog and by the trainer when it publishes a release: which utterances are
 * embedded, which threshold the records carry, how the vectors are laid out (the utterances' first,
 * then any exemplars') and how a large intent is split into parts that each fit in a Kafka record.
 * Also checks records from the topic and reads them back as {@link IntentVectors}.
 */
public final class IntentEmbeddings {

    /**
     * The most vector bytes one record holds: half the producer's default {@code max.request.size},
     * so that a record with its key and fields always fits.
     */
    public static final int MAX_VECTOR_BYTES_PER_RECORD = 512 * 1024;

    /** Longest vector a record may declare. */
    public static final int MAX_DIMENSION = 65_536;

    /** Most parts one intent's vectors may be split into. */
    public static final int MAX_PARTS = 10_000;

    private IntentEmbeddings() {}

    /** The utterances of {@code definition} that are embedded: its non-blank examples, in order. */
    public static List<String> utterances(IntentDefinition definition) {
        return definition.getExamples().stream().filter(e -> !e.isBlank()).toList();
    }

    /** Whether {@code definition} is matched at all: active, with at least one utterance. */
    public static boolean servable(IntentDefinition definition) {
        return definition.getActive() && !utterances(definition).isEmpty();
    }

    /** How many rows of {@code dimension} floats one record holds. */
    public static int rowsPerRecord(int dimension) {
        return Math.max(1, MAX_VECTOR_BYTES_PER_RECORD / (Float.BYTES * dimension));
    }

    /**
     * The vector records of {@code definition} under {@code modelVersion}: one, or as many parts as
     * its vectors need, each keyed by {@link #key}. The intent's own threshold wins over the one
     * fitted for the version.
     *
     * @param fittedThreshold the version's fitted threshold for the intent, or null
     * @param vectors (utterances + exemplars, dimension): the utterances' vectors, then the
     *     exemplars'
     * @param exemplars how many of {@code vectors}, at the end, are exemplars
     * @return the parts in order
     */
    public static List<IntentEmbedding> records(
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
        int perRecord = rowsPerRecord(dimension);
        int parts = Math.max(1, (vectors.length + perRecord - 1) / perRecord);
        if (parts > MAX_PARTS) {
            throw new IllegalArgumentException(
                    vectors.length + " vectors need more than " + MAX_PARTS + " records");
        }
        long setId = setId(vectors);
        List<IntentEmbedding> out = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
            float[][] rows =
                    Arrays.copyOfRange(
                            vectors, p * perRecord, Math.min(vectors.length, (p + 1) * perRecord));
            out.add(
                    IntentEmbedding.newBuilder()
                            .setModelVersion(modelVersion)
                            .setIntentId(definition.getIntentId())
                            .setRoute(definition.getRoute())
                            .setThreshold(
                                    definition.getThreshold() != null
                                            ? definition.getThreshold()
                                            : fittedThreshold)
                            .setDimension(dimension)
                            .setVectors(EmbeddingVectors.pack(rows, dimension))
                            .setExemplars(exemplars)
                            .setPart(p)
                            .setParts(parts)
                            .setSetId(setId)
                            .build());
        }
        return out;
    }

    /** The key of {@code embedding} on the intent-embeddings topic. */
    public static String key(IntentEmbedding embedding) {
        return new IntentEmbeddingKey(
                        embedding.getModelVersion().toString(),
                        embedding.getIntentId().toString(),
                        embedding.getPart())
                .toString();
    }

    // Tells the parts of one write from those of another; any write's vectors differ in content.
    private static long setId(float[][] vectors) {
        long h = 1125899906842597L;
        for (float[] row : vectors) {
            h = 31 * h + Arrays.hashCode(row);
        }
        return h == 0 ? 1 : h;
    }

    /**
     * What is wrong with the record {@code embedding} stored under {@code key}, or empty when it
     * can be matched against as a part of its intent: the key names its version, intent and part,
     * the part is one of its parts, the bytes hold a whole number of vectors of its dimension (at
     * least one), and every value is finite. A record from the topic is checked before anything is
     * built from it; whether all parts are there is {@link #assemble}'s business.
     */
    public static Optional<String> problem(String key, IntentEmbedding embedding) {
        IntentEmbeddingKey parsed;
        try {
            parsed = IntentEmbeddingKey.parse(key);
        } catch (IllegalArgumentException e) {
            return Optional.of("the key is not modelVersion/intentId");
        }
        if (!parsed.modelVersion().equals(embedding.getModelVersion().toString())
                || !parsed.intentId().equals(embedding.getIntentId().toString())
                || parsed.part() != embedding.getPart()) {
            return Optional.of("the key names another version, intent or part than the record");
        }
        if (embedding.getParts() < 1
                || embedding.getParts() > MAX_PARTS
                || embedding.getPart() >= embedding.getParts()) {
            return Optional.of(
                    "part " + embedding.getPart() + " of " + embedding.getParts() + " parts");
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
        if (embedding.getExemplars() < 0) {
            return Optional.of("a negative number of exemplars");
        }
        while (bytes.hasRemaining()) {
            if (!Float.isFinite(bytes.getFloat())) {
                return Optional.of("a vector holds a value that is not finite");
            }
        }
        return Optional.empty();
    }

    /**
     * An intent's parts joined into one record holding all its vectors, or empty while some part is
     * missing or the parts come from different writes (a write in progress). Each part must have
     * passed {@link #problem}.
     */
    public static Optional<IntentEmbedding> assemble(List<IntentEmbedding> parts) {
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        List<IntentEmbedding> sorted =
                parts.stream().sorted(Comparator.comparingInt(IntentEmbedding::getPart)).toList();
        IntentEmbedding first = sorted.get(0);
        if (sorted.size() != first.getParts()) {
            return Optional.empty();
        }
        int total = 0;
        for (int p = 0; p < sorted.size(); p++) {
            IntentEmbedding e = sorted.get(p);
            if (e.getPart() != p
                    || e.getParts() != first.getParts()
                    || e.getSetId() != first.getSetId()
                    || e.getDimension() != first.getDimension()
                    || e.getExemplars() != first.getExemplars()) {
                return Optional.empty();
            }
            total = Math.addExact(total, e.getVectors().remaining());
        }
        if (sorted.size() == 1) {
            return Optional.of(first);
        }
        ByteBuffer joined = ByteBuffer.allocate(total);
        for (IntentEmbedding e : sorted) {
            joined.put(e.getVectors().duplicate());
        }
        joined.flip();
        return Optional.of(
                IntentEmbedding.newBuilder(first)
                        .setVectors(joined)
                        .setPart(0)
                        .setParts(1)
                        .build());
    }

    /** How many vectors a (whole) record holds. */
    public static int rows(IntentEmbedding embedding) {
        return embedding.getVectors().remaining() / (Float.BYTES * embedding.getDimension());
    }

    /** The vectors of a whole record (see {@link #assemble}) as the index takes them. */
    public static IntentVectors vectors(IntentEmbedding embedding) {
        return new IntentVectors(
                embedding.getIntentId().toString(),
                embedding.getRoute().toString(),
                embedding.getThreshold(),
                EmbeddingVectors.unpack(embedding.getVectors(), embedding.getDimension()));
    }
}
