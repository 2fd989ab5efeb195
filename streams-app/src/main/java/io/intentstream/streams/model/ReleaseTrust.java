package io.intentstream.streams.model;

import io.intentstream.avro.ModelRelease;
import io.intentstream.schemas.ReleaseSignature;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which releases an instance trusts: those signed with its key (when it has one) whose model
 * directory resolves, by real path, inside the model store. Anyone who can write to the models
 * topic would otherwise choose which files every instance loads.
 *
 * @param modelStore the trainer's model store as this instance sees it; null trusts no release
 * @param signingKey the key releases must be signed with; null checks no signature
 */
public record ReleaseTrust(Path modelStore, String signingKey) {

    /** Why {@code release} is not trusted (a reason and a sentence), or empty when it is. */
    public Optional<Refusal> check(ModelRelease release) {
        if (signingKey != null && !ReleaseSignature.verify(release, signingKey)) {
            return Optional.of(
                    new Refusal(
                            "signature",
                            release.getSignature() == null
                                    ? "the release is not signed"
                                    : "the release's signature does not match its content"));
        }
        return Optional.empty();
    }

    /**
     * The release's model directory, once it is known to lie inside the model store.
     *
     * @throws RefusedReleaseException with reason {@code uri} otherwise
     */
    public Path modelDir(ModelRelease release) throws RefusedReleaseException {
        if (modelStore == null) {
            throw new RefusedReleaseException(
                    "uri", "no model.store.dir is configured, so no release's files are trusted");
        }
        Path dir;
        try {
            URI uri = URI.create(release.getModelUri());
            dir = uri.getScheme() == null ? Path.of(release.getModelUri()) : Path.of(uri);
        } catch (RuntimeException e) {
            throw new RefusedReleaseException(
                    "uri", "the model URI is not a local directory (file:)");
        }
        try {
            Path root = modelStore.toRealPath();
            Path real = dir.toRealPath();
            if (!real.startsWith(root) || real.equals(root)) {
                throw new RefusedReleaseException(
                        "uri",
                        "the model directory " + real + " is outside the model store " + root);
            }
            return real;
        } catch (IOException e) {
            throw new RefusedReleaseException(
                    "missing", "the model directory " + dir + " cannot be read");
        }
    }

    /** Why a release is refused: a short reason (a metric tag) and a sentence for the log. */
    public record Refusal(String reason, String message) {}

    /** A release refused before anything of it was loaded. */
    public static final class RefusedReleaseException extends Exception {
        private final String reason;

        RefusedReleaseException(String reason, String message) {
            super(message);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    static boolean hasWeights(Path dir) {
        return Files.isRegularFile(
                dir.resolve(io.intentstream.encoder.ModelDirectory.WEIGHTS_FILE));
    }
}
