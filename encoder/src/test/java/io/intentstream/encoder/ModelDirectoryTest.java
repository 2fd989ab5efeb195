package io.intentstream.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDirectoryTest {

    private static final List<String> TEXTS =
            List.of("where is my card", "I want a refund", "change my PIN");
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    private static SentenceModel model;
    private final ModelDirectory directory = new ModelDirectory(Clock.fixed(NOW, ZoneOffset.UTC));

    @BeforeAll
    static void load() {
        model = DefaultModel.load(Device.cpu());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void shouldGiveIdenticalVectorsWhenSavedAndLoaded(@TempDir Path dir) throws IOException {
        ModelManifest manifest =
                model.manifest().withVersion("v2", "v1").withMetrics(Map.of("sts.spearman", 0.82));
        ModelManifest written = directory.save(model, manifest, dir);
        try (SentenceModel loaded = directory.load(dir, Device.cpu());
                DjlSentenceEncoder a = new DjlSentenceEncoder(model);
                DjlSentenceEncoder b = new DjlSentenceEncoder(loaded)) {
            float[][] va = a.encode(TEXTS);
            float[][] vb = b.encode(TEXTS);
            for (int i = 0; i < TEXTS.size(); i++) {
                assertArrayEquals(va[i], vb[i], 0f, "row " + i);
            }
            assertEquals("v2", loaded.version());
            assertEquals("v1", loaded.manifest().parentVersion());
            assertEquals(0.82, loaded.manifest().metrics().get("sts.spearman"));
            assertEquals(written.sha256(), ModelDirectory.sha256(dir.resolve("model.safetensors")));
            assertEquals(NOW.toString(), loaded.manifest().createdAt());
            assertEquals(256, loaded.maxSeqLength());
            assertEquals(PoolingMode.MEAN, loaded.block().pooling());
            assertTrue(loaded.block().normalizes());
        }
    }

    @Test
    void shouldWriteSentenceTransformersLayoutWhenSaving(@TempDir Path dir) throws IOException {
        directory.save(model, model.manifest(), dir);
        for (String f :
                List.of(
                        "config.json",
                        "model.safetensors",
                        "tokenizer.json",
                        "tokenizer_config.json",
                        "modules.json",
                        "sentence_bert_config.json",
                        "1_Pooling/config.json",
                        ModelManifest.FILE_NAME)) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        var modules =
                JsonParser.parseString(Files.readString(dir.resolve("modules.json")))
                        .getAsJsonArray();
        assertEquals(
                "sentence_transformers.models.Transformer",
                modules.get(0).getAsJsonObject().get("type").getAsString());
        assertEquals("1_Pooling", modules.get(1).getAsJsonObject().get("path").getAsString());
        assertEquals(
                "sentence_transformers.models.Normalize",
                modules.get(2).getAsJsonObject().get("type").getAsString());
        var pooling =
                JsonParser.parseString(Files.readString(dir.resolve("1_Pooling/config.json")))
                        .getAsJsonObject();
        assertTrue(pooling.get("pooling_mode_mean_tokens").getAsBoolean());
        assertEquals(384, pooling.get("word_embedding_dimension").getAsInt());
        var config =
                JsonParser.parseString(Files.readString(dir.resolve("config.json")))
                        .getAsJsonObject();
        assertEquals("bert", config.get("model_type").getAsString());
        assertEquals(6, config.get("num_hidden_layers").getAsInt());
    }

    @Test
    void shouldUseHuggingFaceTensorNamesWhenSaving(@TempDir Path dir) throws IOException {
        directory.save(model, model.manifest(), dir);
        Map<String, RawTensor> tensors =
                ModelDirectory.readSafetensors(dir.resolve("model.safetensors"));
        assertEquals(model.block().expectedShapes().keySet(), tensors.keySet());
        assertArrayEquals(
                new long[] {1536, 384},
                tensors.get("encoder.layer.5.intermediate.dense.weight").shape());
    }

    @Test
    void shouldRefusePickledWeightsWhenNoSafetensorsExist(@TempDir Path dir) throws IOException {
        directory.save(model, model.manifest(), dir);
        Files.move(dir.resolve("model.safetensors"), dir.resolve("pytorch_model.bin"));
        IOException e = assertThrows(IOException.class, () -> directory.load(dir, Device.cpu()));
        assertTrue(e.getMessage().contains("pickle"), e.getMessage());
    }

    @Test
    void shouldNameTheTensorWhenWeightsHaveTheWrongShape(@TempDir Path dir) throws IOException {
        directory.save(model, model.manifest(), dir);
        String config =
                Files.readString(dir.resolve("config.json"))
                        .replace("\"intermediate_size\": 1536", "\"intermediate_size\": 1024");
        Files.writeString(dir.resolve("config.json"), config);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> directory.load(dir, Device.cpu()));
        assertTrue(
                e.getMessage().contains("encoder.layer.0.intermediate.dense.weight"),
                e.getMessage());
    }

    @Test
    void shouldRejectTruncatedWeightsWithAnIoError(@TempDir Path dir) throws IOException {
        directory.save(model, model.manifest(), dir);
        Path weights = dir.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThrows(Exception.class, () -> directory.load(dir, Device.cpu()));
    }
}
