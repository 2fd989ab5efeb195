package io.intentstream.encoder;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile weights files are refused in Java, with the file and the reason named. */
class SafetensorsHeaderTest {

    @TempDir Path dir;

    private Path file(String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out =
                ByteBuffer.allocate(Long.BYTES + json.length + dataBytes)
                        .order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length).put(json);
        Path f = dir.resolve("model.safetensors");
        Files.write(f, out.array());
        return f;
    }

    private void assertRefused(Path f, String why) {
        IOException e = assertThrows(IOException.class, () -> SafetensorsHeader.validate(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void shouldAcceptAWellFormedFile() throws IOException {
        Path f =
                file(
                        "{\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
                            + "\"b\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[16,22]}}",
                        22);
        assertDoesNotThrow(() -> SafetensorsHeader.validate(f));
    }

    @Test
    void shouldRefuseAShapeWhoseSizeOverflowsAnInt() throws IOException {
        // 78 bytes: an F64 tensor of 536,870,913 elements with 8 bytes of data (a native crash in
        // a loader that multiplies in int).
        Path f =
                file("{\"w\":{\"dtype\":\"F64\",\"shape\":[536870913],\"data_offsets\":[0,8]}}", 8);
        assertRefused(f, "declares 4294967304 bytes of F64");
    }

    @Test
    void shouldRefuseAHeaderLongerThanTheFile() throws IOException {
        ByteBuffer out = ByteBuffer.allocate(66).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(2L * 1024 * 1024 * 1024);
        Path f = dir.resolve("model.safetensors");
        Files.write(f, out.array());
        assertRefused(f, "declares a header of 2147483648 bytes in a file of 66");
    }

    @Test
    void shouldRefuseOverflowingShapesUnknownDtypesAndBadOffsets() throws IOException {
        assertRefused(
                file(
                        "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,4],\"data_offsets\":[0,8]}}",
                        8),
                "overflows");
        assertRefused(
                file("{\"w\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8),
                "unknown dtype");
        assertRefused(
                file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,16]}}", 8),
                "outside the data");
        assertRefused(
                file("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8),
                "negative");
        assertRefused(
                file(
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                            + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
                        12),
                "gap or an overlap");
        assertRefused(file("[1,2]", 0), "not a JSON object");
        assertRefused(file("{\"w\":{\"dtype\":\"F32\"}}", 0), "not described");
    }

    @Test
    void shouldRefuseAModulePathOutsideTheModelDirectory() throws IOException {
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.createDirectories(dir.resolve("elsewhere"));
        IOException up =
                assertThrows(IOException.class, () -> ModelDirectory.inside(model, "../elsewhere"));
        assertTrue(up.getMessage().contains("outside the model directory"), up.getMessage());
        Files.createSymbolicLink(model.resolve("1_Pooling"), dir.resolve("elsewhere"));
        assertThrows(IOException.class, () -> ModelDirectory.inside(model, "1_Pooling"));
        assertThrows(IOException.class, () -> ModelDirectory.inside(model, "/etc"));
        Files.createDirectories(model.resolve("2_Normalize"));
        assertDoesNotThrow(() -> ModelDirectory.inside(model, "2_Normalize"));
    }
}
