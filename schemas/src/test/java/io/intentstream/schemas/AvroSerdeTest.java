package io.intentstream.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.intentstream.avro.IntentCandidate;
import io.intentstream.avro.IntentDefinition;
import io.intentstream.avro.IntentMatch;
import io.intentstream.avro.MatchDecision;
import io.intentstream.avro.SupportQuery;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SystemLimitException;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private static final Instant AT = Instant.ofEpochMilli(1_700_000_000_000L);

    @Test
    void shouldRoundTripWhenRecordHasNestedArraysMapsAndEnums() {
        AvroSerde<IntentMatch> serde = AvroSerde.of(IntentMatch.class);
        IntentMatch match =
                IntentMatch.newBuilder()
                        .setQueryId("q1")
                        .setCandidates(
                                List.of(
                                        new IntentCandidate("card_lost", 0.91f, "cards"),
                                        new IntentCandidate("refund", 0.4f, "billing")))
                        .setDecision(MatchDecision.MATCHED)
                        .setChosenIntentId("card_lost")
                        .setRoute("cards")
                        .setModelVersion("v1")
                        .setMetadata(Map.of("channel", "chat"))
                        .setCreatedAt(AT)
                        .build();

        byte[] bytes = serde.serialize("t", match);

        assertEquals(match, serde.deserialize("t", bytes));
        assertEquals((byte) 0xC3, bytes[0], "single-object encoding marker");
        assertEquals((byte) 0x01, bytes[1], "single-object encoding version");
    }

    @Test
    void shouldKeepNullWhenRecordIsTombstone() {
        AvroSerde<SupportQuery> serde = AvroSerde.of(SupportQuery.class);
        assertNull(serde.serialize("t", null));
        assertNull(serde.deserialize("t", null));
    }

    @Test
    void shouldFillDefaultsWhenWriterSchemaIsOlder() {
        Schema older =
                SchemaBuilder.record("SupportQuery")
                        .namespace("io.intentstream.avro")
                        .fields()
                        .requiredString("queryId")
                        .requiredString("text")
                        .name("timestamp")
                        .type(timestampMillis())
                        .noDefault()
                        .endRecord();
        GenericRecord record = new GenericData.Record(older);
        record.put("queryId", "q7");
        record.put("text", "my card is gone");
        record.put("timestamp", AT.toEpochMilli());

        SupportQuery read =
                AvroSerde.of(SupportQuery.class, KnownSchemas.store(List.of(older)))
                        .deserialize("t", encode(older, record));

        assertEquals("q7", read.getQueryId());
        assertEquals("my card is gone", read.getText());
        assertEquals("unknown", read.getChannel());
        assertEquals(Map.of(), read.getMetadata());
        assertNull(read.getTenant());
        assertEquals(AT, read.getTimestamp());
    }

    @Test
    void shouldIgnoreNewFieldsWhenWriterSchemaIsNewerAndKnown() {
        Schema current = SupportQuery.getClassSchema();
        List<Schema.Field> fields = new java.util.ArrayList<>();
        for (Schema.Field f : current.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(new Schema.Field("priority", Schema.create(Schema.Type.INT), "Added later.", 0));
        Schema newer =
                Schema.createRecord("SupportQuery", "newer", "io.intentstream.avro", false, fields);
        GenericRecord record = new GenericData.Record(newer);
        record.put("queryId", "q8");
        record.put("text", "refund please");
        record.put("channel", "email");
        record.put("tenant", null);
        record.put("timestamp", AT.toEpochMilli());
        record.put("metadata", Map.of());
        record.put("priority", 3);
        byte[] bytes = encode(newer, record);

        SupportQuery read =
                AvroSerde.of(SupportQuery.class, KnownSchemas.store(List.of(newer)))
                        .deserialize("t", bytes);

        assertEquals("q8", read.getQueryId());
        assertEquals("email", read.getChannel());
        UndecodableRecordException unknown =
                assertThrows(
                        UndecodableRecordException.class,
                        () -> AvroSerde.of(SupportQuery.class).deserialize("t", bytes));
        assertEquals(DeadLetters.REASON_UNKNOWN_SCHEMA, unknown.reason());
    }

    @Test
    void shouldRaiseUndecodableWhenBytesAreNotSingleObjectEncoded() {
        AvroSerde<SupportQuery> serde = AvroSerde.of(SupportQuery.class);
        UndecodableRecordException e =
                assertThrows(
                        UndecodableRecordException.class,
                        () ->
                                serde.deserialize(
                                        "t",
                                        "{\"text\":\"hello\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(DeadLetters.REASON_BAD_HEADER, e.reason());
    }

    @Test
    void shouldRaiseUndecodableWhenBodyIsTruncated() {
        AvroSerde<SupportQuery> serde = AvroSerde.of(SupportQuery.class);
        SupportQuery q =
                SupportQuery.newBuilder()
                        .setQueryId("q1")
                        .setText("where is my parcel")
                        .setTimestamp(AT)
                        .build();
        byte[] full = serde.serialize("t", q);
        byte[] truncated = java.util.Arrays.copyOf(full, 14);

        UndecodableRecordException e =
                assertThrows(
                        UndecodableRecordException.class, () -> serde.deserialize("t", truncated));
        assertEquals(DeadLetters.REASON_CORRUPT_BODY, e.reason());
    }

    @Test
    void shouldRejectBeforeAllocatingWhenARecordDeclaresAHugeText() {
        AvroSerde<SupportQuery> serde = AvroSerde.of(SupportQuery.class);
        byte[] header =
                header(
                        serde.serialize(
                                "t",
                                SupportQuery.newBuilder()
                                        .setQueryId("q")
                                        .setText("x")
                                        .setTimestamp(AT)
                                        .build()));
        // queryId: a string that declares 2,000,000,000 bytes, and nothing after it
        byte[] hostile = concat(header, zigzagVarint(2_000_000_000L));

        UndecodableRecordException e =
                assertThrows(
                        UndecodableRecordException.class, () -> serde.deserialize("t", hostile));
        assertEquals(DeadLetters.REASON_CORRUPT_BODY, e.reason());
        assertInstanceOf(
                SystemLimitException.class,
                e.getCause(),
                "rejected by the limit, not by a failed allocation");
    }

    @Test
    void shouldRejectBeforeAllocatingWhenAnIntentDeclaresTwoBillionExamples() {
        AvroSerde<IntentDefinition> serde = AvroSerde.of(IntentDefinition.class);
        IntentDefinition one =
                IntentDefinition.newBuilder()
                        .setIntentId("a")
                        .setName("")
                        .setRoute("")
                        .setExamples(List.of())
                        .build();
        byte[] header = header(serde.serialize("t", one));
        // intentId "a", empty name and route, then an array block that declares 2e9 examples
        byte[] body = concat(new byte[] {2, 'a', 0, 0}, zigzagVarint(2_000_000_000L));
        byte[] hostile = concat(header, body);

        UndecodableRecordException e =
                assertThrows(
                        UndecodableRecordException.class, () -> serde.deserialize("t", hostile));
        assertEquals(DeadLetters.REASON_CORRUPT_BODY, e.reason());
        assertInstanceOf(SystemLimitException.class, e.getCause());
    }

    // The single-object header: two marker bytes and the 8-byte schema fingerprint.
    private static byte[] header(byte[] encoded) {
        return java.util.Arrays.copyOf(encoded, 10);
    }

    private static byte[] zigzagVarint(long value) {
        long n = (value << 1) ^ (value >> 63);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while ((n & ~0x7FL) != 0) {
            out.write((int) ((n & 0x7F) | 0x80));
            n >>>= 7;
        }
        out.write((int) n);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void shouldPackAndUnpackVectorsWhenDimensionMatches() {
        float[][] vectors = {{1f, -2f, 0.5f}, {0f, 3.25f, -1f}};
        ByteBuffer packed = EmbeddingVectors.pack(vectors, 3);
        float[][] back = EmbeddingVectors.unpack(packed, 3);
        assertArrayEquals(vectors[0], back[0]);
        assertArrayEquals(vectors[1], back[1]);
        assertThrows(IllegalArgumentException.class, () -> EmbeddingVectors.unpack(packed, 4));
    }

    @Test
    void shouldParseEmbeddingKeyWhenIntentIdHasSlashes() {
        IntentEmbeddingKey key = IntentEmbeddingKey.parse("v2/billing/refund");
        assertEquals(new IntentEmbeddingKey("v2", "billing/refund"), key);
        assertEquals("v2/billing/refund", key.toString());
        assertThrows(IllegalArgumentException.class, () -> new IntentEmbeddingKey("a/b", "x"));
    }

    @Test
    void shouldNameEveryTopicUnderPrefixWhenRenamed() {
        List<Topic<?, ?>> topics = Topics.all("test-1.");
        assertEquals("test-1.queries", topics.get(0).name());
        assertEquals(Topics.ALL.size(), topics.stream().map(Topic::name).distinct().count());
        assertEquals(true, Topics.INTENTS.compacted());
        assertEquals(false, Topics.QUERIES.compacted());
    }

    private static Schema timestampMillis() {
        return org.apache.avro.LogicalTypes.timestampMillis()
                .addToSchema(Schema.create(Schema.Type.LONG));
    }

    private static byte[] encode(Schema schema, GenericRecord record) {
        try {
            ByteBuffer buffer =
                    new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema)
                            .encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
