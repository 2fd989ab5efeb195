package io.intentstream.trainer.data;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the shared datasets: {@code $INTENTSTREAM_DATASETS}, else a {@code shared/datasets} folder
 * beside the project root or one of its parents. Tests that need a file skip with a message when it
 * is absent.
 */
public final class SharedDatasetFiles {

    private SharedDatasetFiles() {}

    /** The path of {@code relative} under the datasets folder; skips the calling test if absent. */
    public static Path require(String relative) {
        String env = System.getenv("INTENTSTREAM_DATASETS");
        Path root = env != null && !env.isBlank() ? Path.of(env) : null;
        for (Path d = Path.of("").toAbsolutePath(); root == null && d != null; d = d.getParent()) {
            Path c = d.resolveSibling("shared").resolve("datasets");
            if (Files.isDirectory(c)) {
                root = c;
            }
        }
        Path p = root == null ? null : root.resolve(relative);
        assumeTrue(
                p != null && Files.isRegularFile(p),
                "dataset file "
                        + relative
                        + " not found: set INTENTSTREAM_DATASETS or place shared/datasets beside"
                        + " the project");
        return p;
    }
}
