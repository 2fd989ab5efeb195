package io.intentstream.encoder;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the shared datasets: {@code $INTENTSTREAM_DATASETS}, else a {@code shared/datasets} folder
 * beside the project root or one of its parents. Tests that need a file skip with a message when it
 * is absent.
 */
public final class SharedDatasets {

    public static final String ENV = "INTENTSTREAM_DATASETS";

    private SharedDatasets() {}

    /** The path of {@code relative} under the datasets folder; skips the calling test if absent. */
    public static Path require(String relative) {
        Path p = root().map(r -> r.resolve(relative)).orElse(null);
        assumeTrue(
                p != null && Files.isRegularFile(p),
                "dataset file "
                        + relative
                        + " not found: set "
                        + ENV
                        + " or place shared/datasets beside the project");
        return p;
    }

    static java.util.Optional<Path> root() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return java.util.Optional.of(Path.of(env));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolveSibling("shared").resolve("datasets");
            if (Files.isDirectory(candidate)) {
                return java.util.Optional.of(candidate);
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * The first {@code limit} texts of a {@code text,label} CSV with a header (texts may be
     * quoted).
     */
    public static List<String> texts(Path csv, int limit) {
        try {
            List<String> out = new ArrayList<>();
            List<String> lines = Files.readAllLines(csv);
            for (String line : lines.subList(1, lines.size())) {
                if (out.size() == limit) {
                    break;
                }
                int comma = line.lastIndexOf(',');
                String text = line.substring(0, comma);
                if (text.startsWith("\"") && text.endsWith("\"")) {
                    text = text.substring(1, text.length() - 1).replace("\"\"", "\"");
                }
                out.add(text);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
