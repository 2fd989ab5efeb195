package io.intentstream.encoder;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.intentstream.encoder.reference.OnnxRuntimeEncoder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The DJL encoder against ONNX Runtime on the same weights, tokens and sentences. */
@Tag("parity")
class ParityTest {

    private static SentenceModel model;
    private static DjlSentenceEncoder djl;
    private static OnnxRuntimeEncoder reference;

    @BeforeAll
    static void load() throws Exception {
        model = DefaultModel.load(Device.cpu());
        djl = new DjlSentenceEncoder(model, EncoderOptions.DEFAULT.withBatchSize(16));
        SentenceTokenizer tokenizer =
                new SentenceTokenizer(DefaultModel.tokenizerBytes(), DefaultModel.MAX_SEQ_LENGTH);
        reference = new OnnxRuntimeEncoder(DefaultModel.onnxBytes(), tokenizer, 16, true, 0);
    }

    @AfterAll
    static void close() {
        reference.close();
        djl.close();
        model.close();
    }

    @Test
    void shouldMatchOnnxRuntimeWhenEncodingHandWrittenSentences() {
        List<String> texts =
                new ArrayList<>(
                        List.of(
                                "I forgot my password and cannot log in",
                                "Where is my refund?",
                                "x",
                                "Ünïcödé tëxt with emoji 🙂 and 中文字符",
                                "word ".repeat(400)));
        assertParity(texts);
    }

    @Test
    void shouldMatchOnnxRuntimeWhenEncodingBanking77Queries() {
        assertParity(SharedDatasets.texts(SharedDatasets.require("banking77/test.csv"), 300));
    }

    private static void assertParity(List<String> texts) {
        float[][] a = djl.encode(texts);
        float[][] b = reference.encode(texts);
        double minCos = 1;
        double maxDelta = 0;
        for (int i = 0; i < texts.size(); i++) {
            double dot = 0;
            for (int d = 0; d < a[i].length; d++) {
                dot += a[i][d] * b[i][d];
                maxDelta = Math.max(maxDelta, Math.abs(a[i][d] - b[i][d]));
            }
            minCos = Math.min(minCos, dot);
        }
        assertTrue(minCos >= 0.9999, "min cosine " + minCos);
        assertTrue(maxDelta <= 1e-4, "max |delta| " + maxDelta);
    }
}
