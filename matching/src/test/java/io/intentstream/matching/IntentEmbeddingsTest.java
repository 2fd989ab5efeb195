package io.intentstream.matching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.intentstream.avro.IntentDefinition;
import io.intentstream.avro.IntentEmbedding;
import io.intentstream.schemas.AvroSerde;
import io.intentstream.schemas.IntentEmbeddingKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IntentEmbeddingsTest {

    private static final int DIM = 384;

    private static final IntentDefinition BIG =
            IntentDefinition.newBuilder()
                    .setIntentId("card_issues")
                    .setName("Card issues")
                    .setRoute("cards")
                    .setExamples(List.of("x"))
                    .build();

    private static float[][] vectors(int rows, long seed) {
        Random random = new Random(seed);
        float[][] out = new float[rows][DIM];
        for (float[] row : out) {
            for (int d = 0; d < DIM; d++) {
                row[d] = (float) random.nextGaussian();
            }
        }
        return out;
    }

    @Test
    void shouldSplitTenThousandVectorsIntoRecordsThatFitAndJoinThemBack() {
        float[][] vectors = vectors(15_000, 1); // 10,000 utterances and 5,000 exemplars
        List<IntentEmbedding> parts =
                IntentEmbeddings.records("v2", BIG, 0.4f, DIM, vectors, 5_000);

        assertEquals((15_000 + 340) / 341, parts.size());
        AvroSerde<IntentEmbedding> serde = AvroSerde.of(IntentEmbedding.class);
        for (IntentEmbedding part : parts) {
            int bytes = serde.serialize("t", part).length;
            assertTrue(bytes < 1024 * 1024, "a record of " + bytes + " bytes would not fit");
            assertEquals(
                    java.util.Optional.empty(),
                    IntentEmbeddings.problem(IntentEmbeddings.key(part), part));
        }
        assertEquals("v2/card_issues", IntentEmbeddings.key(parts.get(0)));
        assertEquals(
                new IntentEmbeddingKey("v2", "card_issues", 3),
                IntentEmbeddingKey.parse(IntentEmbeddings.key(parts.get(3))));

        List<IntentEmbedding> shuffled = new ArrayList<>(parts);
        java.util.Collections.shuffle(shuffled, new Random(7));
        IntentEmbedding whole = IntentEmbeddings.assemble(shuffled).orElseThrow();

        assertEquals(5_000, whole.getExemplars());
        IntentVectors joined = IntentEmbeddings.vectors(whole);
        assertEquals(15_000, joined.vectors().length);
        assertArrayEquals(vectors[0], joined.vectors()[0]);
        assertArrayEquals(vectors[14_999], joined.vectors()[14_999]);
    }

    @Test
    void shouldWaitForEveryPartOfOneWriteBeforeJoining() {
        List<IntentEmbedding> first =
                IntentEmbeddings.records("v2", BIG, null, DIM, vectors(700, 1), 0);
        List<IntentEmbedding> second =
                IntentEmbeddings.records("v2", BIG, null, DIM, vectors(700, 2), 0);
        assertEquals(3, first.size());

        assertTrue(IntentEmbeddings.assemble(first.subList(0, 2)).isEmpty(), "a part is missing");
        List<IntentEmbedding> mixed = new ArrayList<>(first.subList(0, 2));
        mixed.add(second.get(2));
        assertTrue(IntentEmbeddings.assemble(mixed).isEmpty(), "parts of two writes");
        assertTrue(IntentEmbeddings.assemble(first).isPresent());
    }

    @Test
    void shouldKeepASmallIntentInOneRecordUnderItsPlainKey() {
        List<IntentEmbedding> one =
                IntentEmbeddings.records("v2", BIG, null, DIM, vectors(3, 1), 1);
        assertEquals(1, one.size());
        assertEquals("v2/card_issues", IntentEmbeddings.key(one.get(0)));
        assertEquals(one.get(0), IntentEmbeddings.assemble(one).orElseThrow());
    }

    @Test
    void shouldNameWhatIsWrongWithAPartWhoseKeyOrCountDisagree() {
        IntentEmbedding part =
                IntentEmbeddings.records("v2", BIG, null, DIM, vectors(700, 1), 0).get(1);
        assertTrue(IntentEmbeddings.problem("v2/card_issues", part).orElseThrow().contains("part"));
        IntentEmbedding beyond = IntentEmbedding.newBuilder(part).setPart(5).build();
        assertTrue(
                IntentEmbeddings.problem("v2/card_issues\u001F5", beyond)
                        .orElseThrow()
                        .contains("part 5 of 3"));
    }
}
