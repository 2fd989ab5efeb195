package io.intentstream.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * BertModel's dropout: applied in training only, at config.json's rates, drawn from the engine's
 * seeded generator.
 */
class BertDropoutTest {

    private static final BertConfig TINY =
            new BertConfig(50, 16, 2, 2, 32, 16, 2, 1e-12f, 0.1f, 0.1f);

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void shouldLeaveInferenceUntouchedAndChangeTrainingOutputs() {
        BertSentenceBlock block = block(TINY);
        float[] inference = forward(block, false, 0);
        assertArrayEquals(
                inference, forward(block, false, 1), "inference must not depend on the generator");
        float[] training = forward(block, true, 3);
        assertFalse(Arrays.equals(inference, training), "training at rate 0.1 must drop something");
    }

    @Test
    void shouldRepeatTheSameMaskForTheSameSeed() {
        BertSentenceBlock block = block(TINY);
        assertArrayEquals(forward(block, true, 5), forward(block, true, 5));
        assertFalse(Arrays.equals(forward(block, true, 5), forward(block, true, 6)));
    }

    @Test
    void shouldTrainLikeInferenceWhenTheRatesAreZero() {
        BertSentenceBlock block = block(TINY.withDropout(0f, 0f));
        assertArrayEquals(forward(block, false, 0), forward(block, true, 9), 1e-6f);
    }

    @Test
    void shouldReadAndWriteTheRatesInConfigJson() {
        BertConfig config = BertConfig.fromJson(TINY.withDropout(0.2f, 0.05f).toJson().toString());
        assertEquals(0.2f, config.hiddenDropoutProb());
        assertEquals(0.05f, config.attentionDropoutProb());
        String withoutRates =
                "{\"vocab_size\":50,\"hidden_size\":16,\"num_hidden_layers\":2,\"num_attention_heads\":2,"
                    + "\"intermediate_size\":32,\"max_position_embeddings\":16}";
        assertEquals(
                BertConfig.DEFAULT_DROPOUT, BertConfig.fromJson(withoutRates).hiddenDropoutProb());
        assertThrows(IllegalArgumentException.class, () -> TINY.withDropout(1f, 0f));
    }

    /** A block with small random weights. */
    private BertSentenceBlock block(BertConfig config) {
        BertSentenceBlock block = new BertSentenceBlock(config, PoolingMode.MEAN, true);
        Random random = new Random(17);
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        block.expectedShapes()
                .forEach(
                        (name, shape) -> {
                            float[] data = new float[(int) shape.size()];
                            for (int i = 0; i < data.length; i++) {
                                data[i] =
                                        name.endsWith("LayerNorm.weight")
                                                ? 1f
                                                : (float) (random.nextGaussian() * 0.5);
                            }
                            arrays.put(name, manager.create(data, shape));
                        });
        block.setWeights(arrays);
        return block;
    }

    /** Two padded sentences through the block, with the engine's generator seeded first. */
    private float[] forward(BertSentenceBlock block, boolean training, int seed) {
        Engine.getEngine("PyTorch").setRandomSeed(seed);
        try (NDManager step = manager.newSubManager()) {
            NDArray ids =
                    step.create(new long[] {1, 7, 9, 4, 2, 0, 5, 11, 3, 0, 0, 0}, new Shape(2, 6));
            NDArray mask =
                    step.create(new long[] {1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0}, new Shape(2, 6));
            NDList out =
                    block.forward(new ParameterStore(step, false), new NDList(ids, mask), training);
            return out.head().toFloatArray();
        }
    }
}
