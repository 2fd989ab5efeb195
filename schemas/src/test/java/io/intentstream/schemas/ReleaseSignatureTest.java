package io.intentstream.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.intentstream.avro.ModelRelease;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class ReleaseSignatureTest {

    private static ModelRelease release() {
        return ModelRelease.newBuilder()
                .setVersion("v3")
                .setParentVersion("v2")
                .setModelUri("file:///models/models/v3")
                .setSha256("ab".repeat(32))
                .setThresholds(Map.of("refund", 0.5f, "card_lost", 0.4f))
                .setNeighbours(3)
                .setSequence(4)
                .setCreatedAt(Instant.EPOCH)
                .build();
    }

    @Test
    void shouldVerifyWhatWasSignedWithTheSameKey() {
        ModelRelease r = release();
        r.setSignature(ReleaseSignature.sign(r, "key"));
        assertTrue(ReleaseSignature.verify(r, "key"));
        assertFalse(ReleaseSignature.verify(r, "another key"));
    }

    @Test
    void shouldRefuseWhenAnythingThatDecidesServingChanges() {
        ModelRelease signed = release();
        signed.setSignature(ReleaseSignature.sign(signed, "key"));
        for (java.util.function.Consumer<ModelRelease> change :
                java.util.List.<java.util.function.Consumer<ModelRelease>>of(
                        r -> r.setModelUri("file:///tmp/evil"),
                        r -> r.setSha256("cd".repeat(32)),
                        r -> r.setSequence(Long.MAX_VALUE),
                        r -> r.setVersion("v4"),
                        r -> r.setNeighbours(1),
                        r -> r.setThresholds(Map.of("refund", 0.0f)))) {
            ModelRelease copy = ModelRelease.newBuilder(signed).build();
            change.accept(copy);
            assertFalse(ReleaseSignature.verify(copy, "key"), copy.toString());
        }
        ModelRelease unsigned = release();
        assertFalse(ReleaseSignature.verify(unsigned, "key"));
        unsigned.setSignature("not hex");
        assertFalse(ReleaseSignature.verify(unsigned, "key"));
    }

    @Test
    void shouldReadReleasesAnnouncedBeforeTheyWereNumberedOrSigned() throws Exception {
        Schema before =
                KnownSchemas.history().stream()
                        .filter(s -> s.getName().equals("ModelRelease"))
                        .filter(s -> s.getField("sequence") == null)
                        .findFirst()
                        .orElseThrow();
        GenericRecord old = new GenericData.Record(before);
        old.put("version", "v2");
        old.put("parentVersion", null);
        old.put("modelUri", "file:///m/v2");
        old.put("sha256", "00");
        old.put("metrics", Map.of());
        old.put("thresholds", Map.of());
        old.put("neighbours", null);
        old.put("createdAt", 1000L);
        ByteBuffer bytes =
                new BinaryMessageEncoder<GenericRecord>(GenericData.get(), before).encode(old);
        byte[] array = new byte[bytes.remaining()];
        bytes.get(array);

        ModelRelease read = AvroSerde.of(ModelRelease.class).deserialize("t", array);

        assertEquals(0L, read.getSequence());
        assertNull(read.getSignature());
    }
}
