package io.intentstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayeredSettingsTest {

    @TempDir Path dir;

    @Test
    void shouldLetTheFileBeatDefaultsTheOptionsBeatTheFileAndTheOverridesBeatAll()
            throws Exception {
        Path file = dir.resolve("service.properties");
        Files.writeString(file, "a = from-file \nb=from-file\nc=from-file\n");

        Map<String, Object> merged =
                LayeredSettings.merge(
                        Map.of("a", "default", "d", "default"),
                        file,
                        List.of("b = from-option", "c=from-option"),
                        "--set",
                        Map.of("c", "override"));

        assertEquals(
                Map.of("a", "from-file", "b", "from-option", "c", "override", "d", "default"),
                merged);
    }

    @Test
    void shouldNameTheOptionWhenASettingHasNoKey() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                LayeredSettings.merge(
                                        Map.of(), null, List.of("=1"), "--trainer-set", Map.of()));
        assertEquals("--trainer-set expects KEY=VALUE, got '=1'", e.getMessage());
    }
}
