package io.intentstream.trainer.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseExemplarsTest {

    @TempDir Path dir;

    @Test
    void shouldReadBackWhatItWroteInOrderWhateverTheTextHolds() throws IOException {
        Map<String, List<String>> exemplars = new LinkedHashMap<>();
        exemplars.put(
                "card_arrival",
                List.of(
                        "where is my card, \"the new one\"?",
                        "karte noch nicht da – seit 2 Wochen"));
        exemplars.put("refund", List.of("refund <please>\tnow\\"));
        ReleaseExemplars.write(dir, exemplars);
        assertEquals(exemplars, ReleaseExemplars.read(dir));
        assertEquals(
                List.of("card_arrival", "refund"),
                List.copyOf(ReleaseExemplars.read(dir).keySet()));
    }

    @Test
    void shouldReadNoneFromAModelStoredWithoutThem() throws IOException {
        assertTrue(ReleaseExemplars.read(dir).isEmpty());
    }

    @Test
    void shouldNameTheLineOfABrokenFile() throws IOException {
        Files.writeString(
                dir.resolve(ReleaseExemplars.FILE_NAME),
                "{\"intent\":\"a\",\"text\":\"x\"}\n{\"intent\":\"a\"}\n");
        IOException e = assertThrows(IOException.class, () -> ReleaseExemplars.read(dir));
        assertTrue(e.getMessage().contains(ReleaseExemplars.FILE_NAME + ":2"), e.getMessage());
    }
}
