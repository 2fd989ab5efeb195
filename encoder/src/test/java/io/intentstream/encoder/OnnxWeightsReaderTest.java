package io.intentstream.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OnnxWeightsReaderTest {

    @Test
    void shouldNameEveryLinearWeightAfterItsMatMulWhenReadingTheDefaultModel() throws IOException {
        Map<String, RawTensor> tensors = OnnxWeightsReader.read(DefaultModel.onnxBytes());
        BertSentenceBlock block =
                new BertSentenceBlock(BertConfig.MINILM_L6, PoolingMode.MEAN, true);
        for (var e : block.expectedShapes().entrySet()) {
            RawTensor t = tensors.get(e.getKey());
            assertTrue(t != null, "missing " + e.getKey());
            assertArrayEquals(e.getValue().getShape(), t.shape(), e.getKey());
        }
        assertTrue(
                tensors.keySet().stream().noneMatch(n -> n.startsWith("onnx::")),
                "unnamed initializers left");
    }

    @Test
    void shouldTransposeInOutToOutInWhenNamingALinearWeight() {
        RawTensor inOut =
                new RawTensor("onnx::MatMul_1", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6});
        RawTensor outIn = inOut.transposed("x.weight");
        assertArrayEquals(new long[] {3, 2}, outIn.shape());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, outIn.data());
    }

    @Test
    void shouldFailClearlyWhenBytesAreNotAnOnnxModel() {
        IOException e =
                assertThrows(IOException.class, () -> OnnxWeightsReader.read(new byte[] {8, 7}));
        assertTrue(e.getMessage().contains("ONNX"), e.getMessage());
    }
}
