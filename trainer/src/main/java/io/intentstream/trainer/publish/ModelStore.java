package io.intentstream.trainer.publish;

import io.intentstream.encoder.ModelDirectory;
import io.intentstream.encoder.ModelManifest;
import io.intentstream.encoder.SentenceModel;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory of released models and their history:
 *
 * <pre>
 * root/models/VERSION/     a sentence-transformers model directory with its manifest (sha256)
 * root/history/T-VERSION.json  one {@link ReleaseRecord} per training run, released or rejected
 * root/.staging/           work in progress, deleted on start
 * </pre>
 *
 * A model is written to staging, every file and directory fsync'ed, then renamed into place
 * atomically, so a reader (or a crash) never sees half a model; a version, once stored, is never
 * overwritten. History records are written the same way.
 */
public final class ModelStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelStore.class);
    private static final Pattern NUMBERED = Pattern.compile("v(\\d+)");

    private final Path root;
    private final Path models;
    private final Path history;
    private final Path staging;
    private final TrainerLease lease;

    /**
     * Opens the store as its writer (the trainer job), holding the {@link TrainerLease} until
     * {@link #close()}: leftovers of a crashed write are deleted.
     *
     * @throws IllegalStateException if another trainer writes to this store
     */
    public ModelStore(Path root) throws IOException {
        this(root, true);
    }

    /**
     * Opens the store as a reader or occasional writer beside the trainer job, leaving staging
     * alone.
     */
    public static ModelStore open(Path root) throws IOException {
        return new ModelStore(root, false);
    }

    private ModelStore(Path root, boolean owner) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.models = this.root.resolve("models");
        this.history = this.root.resolve("history");
        this.staging = this.root.resolve(".staging");
        Files.createDirectories(models);
        Files.createDirectories(history);
        this.lease = owner ? TrainerLease.acquire(this.root) : null;
        if (owner) {
            deleteRecursively(staging);
        }
        Files.createDirectories(staging);
    }

    /** Gives up the writer's lease; a reader holds nothing. */
    @Override
    public void close() throws IOException {
        if (lease != null) {
            lease.close();
        }
    }

    public Path root() {
        return root;
    }

    public Path modelDir(String version) {
        return models.resolve(version);
    }

    public boolean hasModel(String version) {
        return Files.isDirectory(modelDir(version));
    }

    /**
     * Saves {@code model} as {@code manifest.version()}: written to staging, fsync'ed, renamed into
     * place.
     *
     * @return the manifest as written, with the weights' sha256
     */
    public ModelManifest store(SentenceModel model, ModelManifest manifest) throws IOException {
        return store(model, manifest, Map.of());
    }

    /**
     * As {@link #store(SentenceModel, ModelManifest)}, with the confirmed queries the release ships
     * for matching.
     */
    public ModelManifest store(
            SentenceModel model, ModelManifest manifest, Map<String, List<String>> exemplars)
            throws IOException {
        Path target = modelDir(manifest.version());
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target + ": versions are immutable");
        }
        Path work = staging.resolve(manifest.version() + "-" + UUID.randomUUID());
        ModelManifest written = new ModelDirectory().save(model, manifest, work);
        if (!exemplars.isEmpty()) {
            ReleaseExemplars.write(work, exemplars);
        }
        fsyncTree(work);
        Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
        fsync(models);
        log.info("Stored model {} in {} (sha256 {})", manifest.version(), target, written.sha256());
        return written;
    }

    /** Checks that the stored weights still have the sha256 their manifest records. */
    public String verify(String version) throws IOException {
        Path dir = modelDir(version);
        ModelManifest manifest =
                ModelManifest.fromJson(Files.readString(dir.resolve(ModelManifest.FILE_NAME)));
        String actual = ModelDirectory.sha256(dir.resolve(ModelDirectory.WEIGHTS_FILE));
        if (!actual.equals(manifest.sha256())) {
            throw new IOException(
                    "model "
                            + version
                            + " in "
                            + dir
                            + " is corrupt: sha256 "
                            + actual
                            + ", manifest says "
                            + manifest.sha256());
        }
        return actual;
    }

    /**
     * Removes a stored model that was never released (e.g. after a crash before its announcement).
     */
    public void discard(String version) throws IOException {
        Path dir = modelDir(version);
        if (Files.exists(dir)) {
            Path trash = staging.resolve("discard-" + version + "-" + UUID.randomUUID());
            Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
            deleteRecursively(trash);
            log.warn("Discarded model {}: it was stored but never released", version);
        }
    }

    /** Appends a record to the history (atomically). */
    public void record(ReleaseRecord record) throws IOException {
        Path tmp = staging.resolve("record-" + UUID.randomUUID() + ".json");
        Files.writeString(tmp, record.toJson(), StandardCharsets.UTF_8);
        fsync(tmp);
        Files.move(
                tmp,
                history.resolve(
                        String.format("%013d-%s.json", record.createdAt(), record.version())),
                StandardCopyOption.ATOMIC_MOVE);
        fsync(history);
    }

    /** Every history record, oldest first. */
    public List<ReleaseRecord> history() throws IOException {
        List<ReleaseRecord> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(history)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                out.add(ReleaseRecord.fromJson(Files.readString(f)));
            }
        }
        out.sort(Comparator.comparingLong(ReleaseRecord::createdAt));
        return out;
    }

    /** The released record of {@code version}, if any. */
    public Optional<ReleaseRecord> release(String version) throws IOException {
        return history().stream()
                .filter(r -> r.released() && r.version().equals(version))
                .reduce((a, b) -> b);
    }

    /** Versions stored under models/. */
    public List<String> storedVersions() throws IOException {
        try (Stream<Path> dirs = Files.list(models)) {
            return dirs.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        }
    }

    /** The next free version name: v2, v3, ... (v1 stands for the base model). */
    /**
     * The next announcement number: one more than any release or rollback recorded here. Services
     * serve the highest number they accept, so a rollback, which re-announces an older version,
     * takes the next number too.
     */
    public long nextSequence() throws IOException {
        return history().stream().mapToLong(ReleaseRecord::sequence).max().orElse(0) + 1;
    }

    public String nextVersion() throws IOException {
        int max = 1;
        List<String> names = new ArrayList<>(storedVersions());
        history().forEach(r -> names.add(r.version()));
        for (String name : names) {
            Matcher m = NUMBERED.matcher(name);
            if (m.matches()) {
                max = Math.max(max, Integer.parseInt(m.group(1)));
            }
        }
        return "v" + (max + 1);
    }

    private static void fsyncTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                fsync(p);
            }
        }
    }

    private static void fsync(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                ch.force(true);
            } catch (IOException e) {
                // Some platforms cannot open a directory for fsync; the rename is still atomic
                // there.
                log.debug("Cannot fsync directory {}", p, e);
            }
        } else {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
