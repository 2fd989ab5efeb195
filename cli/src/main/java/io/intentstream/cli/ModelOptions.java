package io.intentstream.cli;

import io.intentstream.encoder.DeviceChoice;
import io.intentstream.encoder.DjlSentenceEncoder;
import io.intentstream.encoder.EncoderOptions;
import io.intentstream.encoder.ModelLoader;
import io.intentstream.encoder.SentenceModel;
import io.intentstream.streams.config.IntentStreamConfig;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options every command that runs a model shares. */
public final class ModelOptions {

    @Option(
            names = "--model",
            defaultValue = "default",
            paramLabel = "MODEL",
            description =
                    "'default' (all-MiniLM-L6-v2 from the class path) or a sentence-transformers"
                            + " model directory. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(
            names = "--device",
            defaultValue = "auto",
            paramLabel = "auto|cpu|gpu",
            description =
                    "Where to run: auto takes a GPU when PyTorch sees one. Default:"
                            + " ${DEFAULT-VALUE}.")
    String device;

    @Option(
            names = "--batch-size",
            defaultValue = "32",
            description = "Texts per forward pass. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Mixin InferenceOptions inference;

    /** The model option as given: 'default' or a directory. */
    public String model() {
        return model;
    }

    /** The device option as given: auto, cpu or gpu. */
    public String device() {
        return device;
    }

    /** The service settings that make it serve this model. */
    public Map<String, Object> serviceSettings() {
        EncoderOptions options = encoderOptions();
        return Map.of(
                IntentStreamConfig.MODEL_DIR_CONFIG,
                model(),
                IntentStreamConfig.MODEL_DEVICE_CONFIG,
                device(),
                IntentStreamConfig.MODEL_PRECISION_CONFIG,
                options.precision().name().toLowerCase(java.util.Locale.ROOT),
                IntentStreamConfig.MODEL_EXECUTION_CONFIG,
                options.execution().name().toLowerCase(java.util.Locale.ROOT));
    }

    public SentenceModel loadModel() {
        return ModelLoader.load(model, DeviceChoice.parse(device).resolve());
    }

    public EncoderOptions encoderOptions() {
        return new EncoderOptions(batchSize, true, inference.precision(), inference.execution());
    }

    /** A model and its encoder, closed together. */
    public record Loaded(SentenceModel model, DjlSentenceEncoder encoder) implements AutoCloseable {
        @Override
        public void close() {
            encoder.close();
            model.close();
        }
    }

    public Loaded load() {
        SentenceModel m = loadModel();
        return new Loaded(m, new DjlSentenceEncoder(m, encoderOptions()));
    }
}
