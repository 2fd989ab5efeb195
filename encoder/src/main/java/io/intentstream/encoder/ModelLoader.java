package io.intentstream.encoder;

import ai.djl.Device;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resolves a model reference: {@code default} (all-MiniLM-L6-v2) or a model directory. */
public final class ModelLoader {

    private ModelLoader() {}

    /**
     * Loads {@code reference} onto {@code device}.
     *
     * @param reference {@value DefaultModel#NAME} or a sentence-transformers / Hugging Face
     *     directory
     */
    public static SentenceModel load(String reference, Device device) {
        if (reference.equals(DefaultModel.NAME)) {
            return DefaultModel.load(device);
        }
        Path dir = Path.of(reference);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(
                    "model '" + reference + "' is neither 'default' nor a model directory");
        }
        try {
            return new ModelDirectory().load(dir, device);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load model from " + dir, e);
        }
    }
}
