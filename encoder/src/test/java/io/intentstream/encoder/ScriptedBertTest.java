package io.intentstream.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ScriptedBertTest {

    private static final List<String> TEXTS =
            List.of(
                    "my card was declined at the shop",
                    "how do I reset my password",
                    "ok",
                    "I would like to close my account and transfer the remaining balance to my"
                            + " other bank please",
                    "refund",
                    "why is there an extra fee on my statement this month?");

    private static SentenceModel model;
    private static DjlSentenceEncoder eager;

    @BeforeAll
    static void load() {
        model = DefaultModel.load(Device.cpu());
        eager =
                new DjlSentenceEncoder(
                        model,
                        EncoderOptions.DEFAULT.withBatchSize(4).withExecution(Execution.EAGER));
    }

    @AfterAll
    static void close() {
        eager.close();
        model.close();
    }

    @Test
    void shouldMatchEagerExecutionWhenScriptedInFloat32() {
        // Batches of 4 are padded; the single texts take the unpadded path.
        try (DjlSentenceEncoder scripted =
                new DjlSentenceEncoder(
                        model,
                        EncoderOptions.DEFAULT
                                .withBatchSize(4)
                                .withExecution(Execution.SCRIPTED))) {
            float[][] expected = eager.encode(TEXTS);
            float[][] batch = scripted.encode(TEXTS);
            for (int i = 0; i < TEXTS.size(); i++) {
                assertArrayEquals(expected[i], batch[i], 1e-5f, "batched row " + i);
                assertArrayEquals(
                        expected[i], scripted.encode(TEXTS.get(i)), 1e-5f, "single text " + i);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"FP16, 0.9999", "INT8, 0.95"})
    void shouldStayCloseToFloat32ButDifferWhenLinearLayersArePacked(
            Precision precision, double minCosine) {
        try (DjlSentenceEncoder packed =
                new DjlSentenceEncoder(
                        model, new EncoderOptions(4, true, precision, Execution.SCRIPTED))) {
            float[][] expected = eager.encode(TEXTS);
            float[][] actual = packed.encode(TEXTS);
            double largestDifference = 0;
            for (int i = 0; i < TEXTS.size(); i++) {
                assertEquals(1.0, dot(actual[i], actual[i]), 1e-5, "unit norm, row " + i);
                double cosine = dot(expected[i], actual[i]);
                assertTrue(cosine > minCosine, precision + " row " + i + " cosine " + cosine);
                for (int d = 0; d < expected[i].length; d++) {
                    largestDifference =
                            Math.max(largestDifference, Math.abs(expected[i][d] - actual[i][d]));
                }
            }
            // Float32 kernels differ from eager by 1e-7 at most; rounded weights by far more.
            assertTrue(
                    largestDifference > 1e-5,
                    precision
                            + " equals float32 (largest difference "
                            + largestDifference
                            + "): the weights were not packed");
        }
    }

    @ParameterizedTest
    @EnumSource(PoolingMode.class)
    void shouldMatchEagerExecutionForEveryPoolingWithoutNormalisation(PoolingMode pooling)
            throws IOException {
        try (SentenceModel tiny = tinyModel(pooling);
                DjlSentenceEncoder reference =
                        new DjlSentenceEncoder(tiny, EncoderOptions.DEFAULT.withBatchSize(3));
                DjlSentenceEncoder scripted =
                        new DjlSentenceEncoder(
                                tiny,
                                EncoderOptions.DEFAULT
                                        .withBatchSize(3)
                                        .withExecution(Execution.SCRIPTED))) {
            float[][] expected = reference.encode(TEXTS);
            float[][] actual = scripted.encode(TEXTS);
            for (int i = 0; i < TEXTS.size(); i++) {
                assertArrayEquals(expected[i], actual[i], 1e-4f, pooling + " row " + i);
            }
            assertTrue(
                    Math.abs(dot(actual[0], actual[0]) - 1) > 1e-3,
                    "the tiny model does not normalise");
        }
    }

    @Test
    void shouldKeepTheWeightsItWasBuiltWithWhileANewEncoderSeesChangedOnes() throws IOException {
        try (SentenceModel tiny = tinyModel(PoolingMode.MEAN);
                DjlSentenceEncoder before =
                        new DjlSentenceEncoder(
                                tiny, EncoderOptions.DEFAULT.withExecution(Execution.SCRIPTED))) {
            float[][] original = before.encode(TEXTS);
            tiny.block()
                    .namedParameters()
                    .get("encoder.layer.0.attention.self.query.weight")
                    .getArray()
                    .muli(3f);
            try (DjlSentenceEncoder after =
                            new DjlSentenceEncoder(
                                    tiny,
                                    EncoderOptions.DEFAULT.withExecution(Execution.SCRIPTED));
                    DjlSentenceEncoder reference =
                            new DjlSentenceEncoder(
                                    tiny, EncoderOptions.DEFAULT.withExecution(Execution.EAGER))) {
                assertArrayEquals(
                        original[0],
                        before.encode(TEXTS)[0],
                        1e-6f,
                        "the first encoder keeps its copy");
                float[][] changed = reference.encode(TEXTS);
                assertTrue(
                        Math.abs(changed[0][0] - original[0][0]) > 1e-4,
                        "scaling the query weights changes the vectors");
                assertArrayEquals(
                        changed[0], after.encode(TEXTS)[0], 1e-4f, "a new encoder sees the change");
            }
        }
    }

    @Test
    void shouldRefusePrecisionsAnExecutionCannotRun() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new EncoderOptions(8, true, Precision.INT8, Execution.EAGER));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        EncoderOptions.DEFAULT
                                .withExecution(Execution.EAGER)
                                .withPrecision(Precision.INT8));
        assertEquals(Execution.SCRIPTED, new EncoderOptions(8, true, Precision.INT8).execution());
    }

    @Test
    void shouldNameTheMissingParameterWhenGeneratingSource() {
        List<String> names =
                new java.util.ArrayList<>(
                        new BertSentenceBlock(BertConfig.MINILM_L6, PoolingMode.MEAN, true)
                                .namedParameters()
                                .keySet());
        names.remove("embeddings.position_embeddings.weight");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                BertTorchScript.source(
                                        BertConfig.MINILM_L6,
                                        PoolingMode.MEAN,
                                        true,
                                        Precision.FP32,
                                        names));
        assertTrue(
                e.getMessage().contains("'embeddings.position_embeddings.weight'"), e.getMessage());
    }

    /** Two layers of random weights, hidden size 16, with the default model's tokenizer. */
    private static SentenceModel tinyModel(PoolingMode pooling) throws IOException {
        BertConfig config = new BertConfig(30522, 16, 2, 4, 32, 64, 2, 1e-12f, 0.1f, 0.1f);
        BertSentenceBlock shapes = new BertSentenceBlock(config, pooling, false);
        Random random = new Random(7);
        Map<String, RawTensor> tensors = new LinkedHashMap<>();
        shapes.expectedShapes()
                .forEach(
                        (name, shape) -> {
                            float[] data = new float[Math.toIntExact(shape.size())];
                            for (int i = 0; i < data.length; i++) {
                                data[i] =
                                        (float)
                                                (random.nextGaussian() * 0.2
                                                        + (name.endsWith("LayerNorm.weight")
                                                                ? 1
                                                                : 0));
                            }
                            tensors.put(name, new RawTensor(name, shape.getShape(), data));
                        });
        return SentenceModel.fromTensors(
                config,
                pooling,
                false,
                tensors,
                DefaultModel.tokenizerBytes(),
                64,
                ModelManifest.base("tiny-" + pooling),
                Device.cpu());
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
