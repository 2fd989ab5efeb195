package io.intentstream.trainer.fit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The checkpoint folders of a run: {@code <output>/checkpoints/checkpoint-<step>/} (model in the
 * sentence-transformers layout under {@code model/}, optimizer state, loss parameters, trainer
 * state) and {@code <output>/checkpoints/best/} (the best model so far). A checkpoint is written
 * under a temporary name and renamed when complete, so a crash mid-write leaves the previous one as
 * the latest.
 */
public final class Checkpoints {

    static final String MODEL_DIR = "model";
    static final String OPTIMIZER_FILE = "optimizer.safetensors";
    static final String LOSS_FILE = "loss-parameters.safetensors";
    private static final String PREFIX = "checkpoint-";

    private final Path root;

    public Checkpoints(Path outputDir) {
        this.root = outputDir.resolve("checkpoints");
    }

    public Path root() {
        return root;
    }

    public Path best() {
        return root.resolve("best");
    }

    /** A fresh temporary folder to write a checkpoint into. */
    Path staging(long step) throws IOException {
        Path dir = root.resolve(PREFIX + step + ".tmp");
        deleteRecursively(dir);
        Files.createDirectories(dir);
        return dir;
    }

    /** Publishes a completed staging folder and deletes older checkpoints. */
    Path publish(Path staging, long step) throws IOException {
        Path dir = root.resolve(PREFIX + step);
        deleteRecursively(dir);
        Files.move(staging, dir);
        try (Stream<Path> all = Files.list(root)) {
            for (Path p : all.filter(p -> stepOf(p) >= 0 && stepOf(p) < step).toList()) {
                deleteRecursively(p);
            }
        }
        return dir;
    }

    /** The completed checkpoint with the highest step, if any. */
    public Optional<Path> latest() {
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> all = Files.list(root)) {
            return all.filter(
                            p ->
                                    stepOf(p) >= 0
                                            && Files.isRegularFile(
                                                    p.resolve(TrainerState.FILE_NAME)))
                    .max(Comparator.comparingLong(Checkpoints::stepOf));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long stepOf(Path p) {
        String name = p.getFileName().toString();
        if (!name.startsWith(PREFIX)) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(PREFIX.length()));
        } catch (NumberFormatException e) {
            return -1; // a staging folder
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static void copyDirectory(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
