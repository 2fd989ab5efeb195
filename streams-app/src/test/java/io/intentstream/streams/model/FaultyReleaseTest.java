package io.intentstream.streams.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import io.intentstream.avro.ModelRelease;
import io.intentstream.encoder.BertConfig;
import io.intentstream.encoder.BertSentenceBlock;
import io.intentstream.encoder.DjlSentenceEncoder;
import io.intentstream.encoder.EncoderOptions;
import io.intentstream.encoder.ModelDirectory;
import io.intentstream.encoder.ModelLoader;
import io.intentstream.encoder.ModelManifest;
import io.intentstream.encoder.PoolingMode;
import io.intentstream.encoder.RawTensor;
import io.intentstream.encoder.SentenceModel;
import io.intentstream.schemas.ReleaseSignature;
import io.intentstream.streams.metrics.ServiceMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Releases that must be refused: the weights' sha256 differs from the release's, the weights file
 * is truncated or its header corrupted, the model's dimension differs from the served one, or the
 * directory is missing. Each time the old model keeps serving and the refusal shows on the
 * Prometheus scrape as {@code intentstream_model_swaps_total{outcome="failed",reason=...}}.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FaultyReleaseTest {

    @TempDir static Path store;
    @TempDir static Path elsewhere;

    private static final String KEY = "test-signing-key";
    private static SentenceModel served;
    private static Path goodDir;

    private PrometheusMeterRegistry prometheus;
    private ModelRegistry registry;
    private ModelSwapper swapper;

    @BeforeAll
    static void saveAGoodRelease() throws IOException {
        served = ModelLoader.load("default", Device.cpu());
        goodDir = store.resolve("good");
        new ModelDirectory()
                .save(served, served.manifest().withVersion("good", served.version()), goodDir);
    }

    @AfterAll
    static void closeModel() {
        served.close();
    }

    @BeforeEach
    void serveTheDefaultModel() {
        prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ServiceMetrics metrics = new ServiceMetrics(prometheus);
        // The app owns nothing here: the served model is closed once, after the class.
        registry =
                new ModelRegistry(
                        new ServingModel(
                                served.version(), new DjlSentenceEncoder(served), () -> {}),
                        metrics::modelVersion);
        // The catalog is only consulted after the canary passed, which none of these releases does.
        CatalogVectors catalog =
                new CatalogVectors(
                        () -> {
                            throw new IllegalStateException(
                                    "a refused release must not reach the catalog check");
                        },
                        new IntentIndexCache(),
                        Clock.systemUTC());
        swapper =
                new ModelSwapper(
                        registry,
                        catalog,
                        Device.cpu(),
                        EncoderOptions.DEFAULT,
                        1,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(30),
                        new ReleaseTrust(store, KEY),
                        prometheus);
    }

    @AfterEach
    void close() {
        swapper.close();
        prometheus.close();
    }

    @Test
    void shouldRefuseAndKeepServingWhenTheSha256DiffersFromTheRelease() throws Exception {
        Path dir = copyOfGood("wrong-sha");
        assertRefused(release("wrong-sha", dir, "0".repeat(64)), "sha256");
    }

    @Test
    void shouldRefuseAndKeepServingWhenTheWeightsAreTruncated() throws Exception {
        Path dir = copyOfGood("truncated");
        Path weights = dir.resolve(ModelDirectory.WEIGHTS_FILE);
        try (RandomAccessFile f = new RandomAccessFile(weights.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        // The publisher hashed what it wrote: the sha256 matches, the file is still unusable.
        assertRefused(release("truncated", dir, ModelDirectory.sha256(weights)), "load");
    }

    @Test
    void shouldRefuseAndKeepServingWhenTheWeightsHeaderIsCorrupted() throws Exception {
        Path dir = copyOfGood("corrupted");
        Path weights = dir.resolve(ModelDirectory.WEIGHTS_FILE);
        byte[] garbage = new byte[256];
        new Random(7).nextBytes(garbage);
        try (RandomAccessFile f = new RandomAccessFile(weights.toFile(), "rw")) {
            f.seek(8);
            f.write(garbage);
        }
        assertRefused(release("corrupted", dir, ModelDirectory.sha256(weights)), "load");
    }

    @Test
    void shouldRefuseAndKeepServingWhenTheDimensionDiffers() throws Exception {
        Path dir = store.resolve("narrow");
        BertConfig narrow =
                new BertConfig(
                        BertConfig.MINILM_L6.vocabSize(), 32, 1, 2, 64, 512, 2, 1e-12f, 0.1f, 0.1f);
        Map<String, RawTensor> tensors = new HashMap<>();
        Random random = new Random(11);
        for (Map.Entry<String, Shape> e :
                new BertSentenceBlock(narrow, PoolingMode.MEAN, true).expectedShapes().entrySet()) {
            float[] data = new float[(int) e.getValue().size()];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) (random.nextGaussian() * 0.02);
            }
            tensors.put(e.getKey(), new RawTensor(e.getKey(), e.getValue().getShape(), data));
        }
        ModelManifest manifest;
        try (SentenceModel model =
                SentenceModel.fromTensors(
                        narrow,
                        PoolingMode.MEAN,
                        true,
                        tensors,
                        served.tokenizerJson(),
                        128,
                        ModelManifest.base("narrow"),
                        Device.cpu())) {
            manifest = new ModelDirectory().save(model, ModelManifest.base("narrow"), dir);
        }
        assertRefused(release("narrow", dir, manifest.sha256()), "canary");
    }

    @Test
    void shouldRefuseAndKeepServingWhenTheModelDirectoryIsMissing() throws Exception {
        assertRefused(release("gone", store.resolve("gone"), "0".repeat(64)), "missing");
    }

    @Test
    void shouldRefuseAReleaseWhoseDirectoryIsOutsideTheModelStore() throws Exception {
        Path outside = Files.createDirectories(elsewhere.resolve("v9"));
        Files.copy(
                goodDir.resolve(ModelDirectory.WEIGHTS_FILE),
                outside.resolve(ModelDirectory.WEIGHTS_FILE));
        assertRefused(
                release(
                        "outside",
                        outside,
                        ModelDirectory.sha256(outside.resolve(ModelDirectory.WEIGHTS_FILE))),
                "uri");
    }

    @Test
    void shouldRefuseAReleaseThatLeavesTheStoreThroughASymbolicLink() throws Exception {
        Path target = Files.createDirectories(elsewhere.resolve("linked"));
        Path link = Files.createSymbolicLink(store.resolve("v-link"), target);
        assertRefused(release("linked", link, "0".repeat(64)), "uri");
    }

    @Test
    void shouldRefuseUnsignedAndWronglySignedReleases() throws Exception {
        Path dir = copyOfGood("unsigned");
        String sha = ModelDirectory.sha256(dir.resolve(ModelDirectory.WEIGHTS_FILE));
        assertRefused(unsigned("unsigned", dir, sha), "signature");
        ModelRelease forged = release("forged", dir, sha);
        forged.setModelUri(copyOfGood("forged").toUri().toString()); // changed after signing
        assertEquals(false, swapper.submit(forged).get(2, TimeUnit.MINUTES));
        assertEquals(2.0, swapper.failures("signature"));
    }

    private void assertRefused(ModelRelease release, String reason) throws Exception {
        String before = registry.currentVersion();
        assertFalse(
                swapper.submit(release).get(2, TimeUnit.MINUTES), "the release must be refused");
        assertEquals(before, registry.currentVersion(), "the old model must keep serving");
        try (ServingModel.Lease lease = registry.acquire()) {
            float[][] v = lease.encoder().encode(List.of("my card was charged twice"));
            assertEquals(served.dimension(), v[0].length);
        }
        assertEquals(1.0, swapper.failures(reason));
        String scrape = prometheus.scrape();
        assertTrue(
                scrape.contains(
                        "intentstream_model_swaps_total{outcome=\"failed\",reason=\""
                                + reason
                                + "\"} 1.0"),
                scrape);
        assertTrue(
                scrape.contains("intentstream_model_version{version=\"" + before + "\"} 1.0"),
                scrape);
    }

    /** A release signed with the services' key. */
    private static ModelRelease release(String version, Path dir, String sha256) {
        ModelRelease r = unsigned(version, dir, sha256);
        r.setSignature(ReleaseSignature.sign(r, KEY));
        return r;
    }

    private static ModelRelease unsigned(String version, Path dir, String sha256) {
        return ModelRelease.newBuilder()
                .setVersion(version)
                .setParentVersion(served.version())
                .setModelUri(dir.toUri().toString())
                .setSha256(sha256)
                .setMetrics(Map.of())
                .setThresholds(Map.of())
                .setCreatedAt(java.time.Instant.now())
                .setSequence(7)
                .build();
    }

    private static Path copyOfGood(String name) throws IOException {
        Path dir = store.resolve(name);
        try (Stream<Path> files = Files.walk(goodDir)) {
            for (Path p : files.toList()) {
                Path target = dir.resolve(goodDir.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return dir;
    }
}
