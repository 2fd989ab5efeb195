package io.intentstream.streams;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps the package rules of the house style honest, like Kafka's import-control. */
class ModuleBoundariesTest {

    private static final Path SOURCES = Path.of("src/main/java/io/intentstream/streams");

    @Test
    void shouldKeepMatchingFreeOfKafkaAndEnginesWhenCompiled() throws IOException {
        assertNoImport("matching", List.of("org.apache.kafka", "ai.djl", "io.micrometer"));
    }

    @Test
    void shouldNeverDependOnTheTrainerWhenCompiled() throws IOException {
        assertNoImport("", List.of("io.intentstream.trainer", "io.intentstream.cli"));
    }

    private static void assertNoImport(String pkg, List<String> forbidden) throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES.resolve(pkg))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    if (line.startsWith("import ")) {
                        for (String prefix : forbidden) {
                            assertTrue(!line.contains(" " + prefix) && !line.contains("static " + prefix), file + ": " + line);
                        }
                    }
                }
            }
        }
    }
}
