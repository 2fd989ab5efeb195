package io.intentstream.trainer.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.intentstream.encoder.SentenceEncoder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoizingEncoderTest {

    /** Vectors that name their text's length and count what it was asked to embed. */
    private static final class Recording implements SentenceEncoder {
        final List<String> asked = new ArrayList<>();

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public float[][] encode(List<String> texts) {
            asked.addAll(texts);
            return texts.stream().map(t -> new float[] {t.length(), 1}).toArray(float[][]::new);
        }

        @Override
        public void close() {}
    }

    @Test
    void shouldEmbedEachDistinctTextOnceAndReturnRowsInOrder() {
        Recording inner = new Recording();
        try (MemoizingEncoder encoder = new MemoizingEncoder(inner)) {
            encoder.encode(List.of("a", "bb", "a"));
            float[][] again = encoder.encode(List.of("ccc", "bb", "a"));
            assertEquals(List.of("a", "bb", "ccc"), inner.asked);
            assertArrayEquals(new float[] {3, 1}, again[0]);
            assertArrayEquals(new float[] {2, 1}, again[1]);
            assertArrayEquals(new float[] {1, 1}, again[2]);
            again[2][0] = 99;
            assertArrayEquals(new float[] {1, 1}, encoder.encode("a"), "callers get copies");
            assertEquals(3, encoder.embedded());
        }
    }
}
