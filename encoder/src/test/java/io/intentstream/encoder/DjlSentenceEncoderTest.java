package io.intentstream.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DjlSentenceEncoderTest {

    private static final List<String> TEXTS =
            List.of(
                    "my card was declined at the shop",
                    "how do I reset my password",
                    "ok",
                    "I would like to close my account and transfer the remaining balance to my"
                            + " other bank please",
                    "refund");

    private static SentenceModel model;
    private static DjlSentenceEncoder encoder;

    @BeforeAll
    static void load() {
        model = DefaultModel.load(Device.cpu());
        encoder = new DjlSentenceEncoder(model, EncoderOptions.DEFAULT.withBatchSize(4));
    }

    @AfterAll
    static void close() {
        encoder.close();
        model.close();
    }

    @Test
    void shouldReturnUnitVectorsOfModelDimensionWhenEncoding() {
        float[][] v = encoder.encode(TEXTS);
        assertEquals(TEXTS.size(), v.length);
        for (float[] row : v) {
            assertEquals(384, row.length);
            assertEquals(1.0, norm(row), 1e-5);
        }
    }

    @Test
    void shouldEqualSingleEncodingsWhenEncodingABatch() {
        float[][] batch = encoder.encode(TEXTS);
        for (int i = 0; i < TEXTS.size(); i++) {
            float[] single = encoder.encode(TEXTS.get(i));
            assertArrayEquals(single, batch[i], 1e-5f, "row " + i);
        }
    }

    @Test
    void shouldKeepInputOrderWhenSortingByLength() {
        try (DjlSentenceEncoder unsorted =
                new DjlSentenceEncoder(model, EncoderOptions.DEFAULT.withSortByLength(false))) {
            float[][] a = encoder.encode(TEXTS);
            float[][] b = unsorted.encode(TEXTS);
            for (int i = 0; i < TEXTS.size(); i++) {
                assertArrayEquals(b[i], a[i], 1e-5f, "row " + i);
            }
        }
    }

    @Test
    void shouldPlaceParaphrasesCloserThanUnrelatedTextWhenEncoding() {
        float[][] v =
                encoder.encode(
                        List.of(
                                "I lost my credit card",
                                "my card is missing",
                                "what is the weather today"));
        assertTrue(
                dot(v[0], v[1]) > dot(v[0], v[2]) + 0.2,
                "paraphrase " + dot(v[0], v[1]) + " vs unrelated " + dot(v[0], v[2]));
    }

    @Test
    void shouldReturnNothingWhenGivenNoTexts() {
        assertEquals(0, encoder.encode(List.of()).length);
    }

    @Test
    void shouldStayCloseToFp32WhenRunningEagerlyInFp16() {
        try (DjlSentenceEncoder fp16 =
                new DjlSentenceEncoder(
                        model,
                        EncoderOptions.DEFAULT
                                .withExecution(Execution.EAGER)
                                .withPrecision(Precision.FP16))) {
            float[][] a = encoder.encode(TEXTS);
            float[][] b = fp16.encode(TEXTS);
            for (int i = 0; i < TEXTS.size(); i++) {
                assertTrue(dot(a[i], b[i]) > 0.999, "row " + i + " cosine " + dot(a[i], b[i]));
            }
        }
    }

    @Test
    void shouldTruncateAtMaxSeqLengthNotTokenizerFileLimitWhenTextIsLong() {
        long[][] ids = encoder.tokenize(List.of("word ".repeat(300), "short text"));
        assertEquals(256, ids[0].length, "all-MiniLM-L6-v2 truncates at 256 tokens");
        assertEquals(4, ids[1].length, "no padding before batching: [CLS] short text [SEP]");
    }

    @Test
    void shouldKeepNativeMemoryFlatWhenEncodingManyBatches() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            texts.add(
                    "sentence number "
                            + i
                            + " about "
                            + "a card payment refund transfer ".repeat(i % 7 + 1));
        }
        for (int round = 0; round < 5; round++) {
            encoder.encode(texts);
        }
        double before = rssMiB();
        for (int round = 0; round < 40; round++) {
            encoder.encode(texts);
        }
        double growth = rssMiB() - before;
        // An unscoped forward pass keeps every intermediate: tens of MiB per batch here.
        assertTrue(growth < 150, "RSS grew by " + growth + " MiB over 2,560 sentences");
    }

    static double rssMiB() {
        try {
            for (String line :
                    java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no /proc/self/status: " + e.getMessage());
        }
        org.junit.jupiter.api.Assumptions.abort("no VmRSS in /proc/self/status");
        return 0;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double norm(float[] a) {
        return Math.sqrt(dot(a, a));
    }
}
