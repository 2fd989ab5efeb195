package io.intentstream.encoder;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The TorchScript source of {@link BertSentenceBlock}'s inference as one module, so that PyTorch
 * runs a whole batch in one native call: the block's operations in its order, except that each
 * layer's query, key and value projections run as one matrix product of three times the width.
 *
 * <p>The module receives the block's parameters once, as a list in checkpoint order, through {@code
 * prepare(weights)}; {@code forward(ids, mask)} encodes a padded batch and {@code unpadded(ids)}
 * one whose rows are all of the same length. The precision chooses the kernels of the linear
 * layers, where nearly all the work is:
 *
 * <ul>
 *   <li>fp32: {@code torch.linear}, as the block;
 *   <li>fp16: fbgemm's fp16 GEMM: weights packed as float16, activations and accumulation float32;
 *   <li>int8: fbgemm's dynamic quantization: weights int8 per output channel, activations quantized
 *       per call on the full 8-bit range, accumulation int32.
 * </ul>
 *
 * Everything else (embeddings, attention, LayerNorm, GELU, pooling) runs in float32.
 */
final class BertTorchScript {

    static final String CLASS_NAME = "SentenceEncoder";

    /** Attributes the module declares as lists, set by {@code prepare}. */
    static final List<String> LIST_ATTRIBUTES = List.of("weights", "fused", "packed");

    private static final String PACKED_TYPE =
            "__torch__.torch.classes.quantized.LinearPackedParamsBase";
    private static final int INT64 = 4;
    private static final int FLOAT32 = 6;
    private static final int QINT8 = 12;

    /** The query, key and value projections, run as one linear layer of three times the width. */
    private static final List<String> QKV =
            List.of("attention.self.query", "attention.self.key", "attention.self.value");

    private static final String FUSED_QKV = "qkv";

    /** Each block's linear layers, in the order they are packed. */
    private static final List<String> LINEAR_LAYERS =
            List.of(FUSED_QKV, "attention.output.dense", "intermediate.dense", "output.dense");

    private final BertConfig config;
    private final PoolingMode pooling;
    private final boolean normalize;
    private final Precision precision;
    private final Map<String, Integer> index = new HashMap<>();
    private final StringBuilder out = new StringBuilder();

    private BertTorchScript(
            BertConfig config,
            PoolingMode pooling,
            boolean normalize,
            Precision precision,
            List<String> parameterNames) {
        this.config = config;
        this.pooling = pooling;
        this.normalize = normalize;
        this.precision = precision;
        for (String name : parameterNames) {
            index.put(name, index.size());
        }
    }

    /**
     * @param parameterNames the block's parameter names in the order {@code prepare} receives them
     */
    static String source(
            BertConfig config,
            PoolingMode pooling,
            boolean normalize,
            Precision precision,
            List<String> parameterNames) {
        return new BertTorchScript(config, pooling, normalize, precision, parameterNames).write();
    }

    private String write() {
        line(0, "class " + CLASS_NAME + "(Module):");
        line(1, "__parameters__ = []");
        line(1, "__buffers__ = []");
        line(1, "training : bool");
        line(1, "weights : List[Tensor]");
        line(1, "fused : List[Tensor]");
        line(1, "packed : List[" + PACKED_TYPE + "]");
        writePrepare();
        line(
                1,
                "def forward(self: __torch__."
                        + CLASS_NAME
                        + ", ids: Tensor, mask: Tensor) -> Tensor:");
        line(2, "return self.encode(ids, mask)");
        line(1, "def unpadded(self: __torch__." + CLASS_NAME + ", ids: Tensor) -> Tensor:");
        line(2, "return self.encode(ids, None)");
        writeEncode();
        return out.toString();
    }

    /**
     * Keeps the weights, detached so that no call records a gradient, joins each block's query, key
     * and value projections, and packs the linear layers for fbgemm.
     */
    private void writePrepare() {
        line(1, "def prepare(self: __torch__." + CLASS_NAME + ", weights: List[Tensor]) -> int:");
        line(2, "w = [torch.detach(t) for t in weights]");
        line(2, "self.weights = w");
        line(2, "fused = annotate(List[Tensor], [])");
        for (int layer = 0; layer < config.numLayers(); layer++) {
            String p = "encoder.layer." + layer + ".";
            line(
                    2,
                    "fused.append(torch.cat(["
                            + String.join(
                                    ", ",
                                    QKV.stream()
                                            .map(l -> "w[" + w(p + l + ".weight") + "]")
                                            .toList())
                            + "], 0))");
            line(
                    2,
                    "fused.append(torch.cat(["
                            + String.join(
                                    ", ",
                                    QKV.stream().map(l -> "w[" + w(p + l + ".bias") + "]").toList())
                            + "], 0))");
        }
        line(2, "self.fused = fused");
        line(2, "packed = annotate(List[" + PACKED_TYPE + "], [])");
        if (precision != Precision.FP32) {
            for (int layer = 0; layer < config.numLayers(); layer++) {
                for (String linear : LINEAR_LAYERS) {
                    String weight = weightOf(layer, linear, ".weight");
                    String bias = weightOf(layer, linear, ".bias");
                    line(
                            2,
                            precision == Precision.INT8
                                    ? "packed.append(ops.quantized.linear_prepack(self.quantize("
                                            + weight
                                            + "), "
                                            + bias
                                            + "))"
                                    : "packed.append(ops.quantized.linear_prepack_fp16("
                                            + weight
                                            + ", "
                                            + bias
                                            + "))");
                }
            }
        }
        line(2, "self.packed = packed");
        line(2, "return len(packed)");
        if (precision == Precision.INT8) {
            // Symmetric per output channel: the scale maps each row's largest magnitude to 127.
            line(1, "def quantize(self: __torch__." + CLASS_NAME + ", weight: Tensor) -> Tensor:");
            line(
                    2,
                    "scales = torch.div(torch.clamp_min(torch.amax(torch.abs(weight), [1]), 1e-8),"
                            + " 127.0)");
            line(
                    2,
                    "zero_points = torch.zeros([weight.size(0)], dtype="
                            + INT64
                            + ", layout=None, device=None, pin_memory=None)");
            line(
                    2,
                    "return torch.quantize_per_channel(weight, scales, zero_points, 0, "
                            + QINT8
                            + ")");
        }
    }

    private void writeEncode() {
        int hidden = config.hiddenSize();
        line(
                1,
                "def encode(self: __torch__."
                        + CLASS_NAME
                        + ", ids: Tensor, mask: Optional[Tensor]) -> Tensor:");
        line(2, "w = self.weights");
        line(2, "fused = self.fused");
        line(2, "packed = self.packed");
        line(2, "batch = ids.size(0)");
        line(2, "tokens = ids.size(1)");
        line(
                2,
                "positions = torch.arange(tokens, dtype="
                        + INT64
                        + ", layout=None, device=ids.device, pin_memory=None)");
        line(
                2,
                "x = torch.add(torch.add(torch.embedding(w["
                        + w("embeddings.word_embeddings.weight")
                        + "], ids), torch.embedding(w["
                        + w("embeddings.position_embeddings.weight")
                        + "], positions)), torch.select(w["
                        + w("embeddings.token_type_embeddings.weight")
                        + "], 0, 0))");
        line(
                2,
                "x = torch.reshape("
                        + layerNorm("x", "embeddings.LayerNorm")
                        + ", [batch * tokens, "
                        + hidden
                        + "])");
        // (batch, 1, 1, tokens): 0 where attended, the most negative float where padded, as in HF.
        line(2, "bias: Optional[Tensor] = None");
        line(2, "if mask is not None:");
        line(
                3,
                "bias = torch.reshape(torch.mul(torch.rsub(torch.to(mask, "
                        + FLOAT32
                        + "), 1.0), "
                        + (double) -Float.MAX_VALUE
                        + "), [batch, 1, 1, tokens])");
        for (int layer = 0; layer < config.numLayers(); layer++) {
            writeLayer(layer);
        }
        line(2, "h = torch.reshape(x, [batch, tokens, " + hidden + "])");
        writePooling();
        if (normalize) {
            line(
                    2,
                    "pooled = torch.div(pooled, torch.clamp_min(torch.norm(pooled, 2, [-1], True),"
                            + " 1e-12))");
        }
        line(2, "return pooled");
    }

    private void writeLayer(int layer) {
        String p = "encoder.layer." + layer + ".";
        int heads = config.numHeads();
        int headSize = config.headSize();
        line(
                2,
                "qkv = torch.reshape("
                        + linear(layer, FUSED_QKV, "x")
                        + ", [batch, tokens, 3, "
                        + heads
                        + ", "
                        + headSize
                        + "])");
        line(2, "q = torch.permute(torch.select(qkv, 2, 0), [0, 2, 1, 3])");
        line(2, "k = torch.permute(torch.select(qkv, 2, 1), [0, 2, 1, 3])");
        line(2, "v = torch.permute(torch.select(qkv, 2, 2), [0, 2, 1, 3])");
        // PyTorch's fused attention (on the CPU, its flash kernel): no (tokens x tokens) scores in
        // memory.
        line(
                2,
                "attended = torch.scaled_dot_product_attention(q, k, v, bias, 0., False,"
                        + " scale=None, enable_gqa=False)");
        line(
                2,
                "context = torch.reshape(torch.permute(attended, [0, 2, 1, 3]), [batch * tokens, "
                        + config.hiddenSize()
                        + "])");
        line(
                2,
                "a = "
                        + layerNorm(
                                "torch.add("
                                        + linear(layer, "attention.output.dense", "context")
                                        + ", x)",
                                p + "attention.output.LayerNorm"));
        line(2, "inner = torch.gelu(" + linear(layer, "intermediate.dense", "a") + ")");
        line(
                2,
                "x = "
                        + layerNorm(
                                "torch.add(" + linear(layer, "output.dense", "inner") + ", a)",
                                p + "output.LayerNorm"));
    }

    private void writePooling() {
        line(2, "if mask is not None:");
        line(3, "m = torch.unsqueeze(torch.to(mask, " + FLOAT32 + "), -1)");
        switch (pooling) {
            case MEAN ->
                    line(
                            3,
                            "pooled = torch.div(torch.sum(torch.mul(h, m), [1]),"
                                    + " torch.clamp_min(torch.sum(m, [1]), 1e-9))");
            case CLS -> line(3, "pooled = torch.select(h, 1, 0)");
            case MAX ->
                    line(
                            3,
                            "pooled = torch.amax(torch.add(h, torch.mul(torch.rsub(m, 1.0), -1e9)),"
                                    + " [1])");
        }
        line(2, "else:");
        switch (pooling) {
            case MEAN -> line(3, "pooled = torch.mean(h, [1])");
            case CLS -> line(3, "pooled = torch.select(h, 1, 0)");
            case MAX -> line(3, "pooled = torch.amax(h, [1])");
        }
    }

    /** Linear layer {@code linear} of block {@code layer}, with the precision's kernel. */
    private String linear(int layer, String linear, String input) {
        String packed =
                "packed[" + (layer * LINEAR_LAYERS.size() + LINEAR_LAYERS.indexOf(linear)) + "]";
        return switch (precision) {
            case FP32 ->
                    "torch.linear("
                            + input
                            + ", "
                            + weightOf(layer, linear, ".weight")
                            + ", "
                            + weightOf(layer, linear, ".bias")
                            + ")";
            case FP16 -> "ops.quantized.linear_dynamic_fp16(" + input + ", " + packed + ")";
            // reduce_range False: the full 8 bits for activations. fbgemm's default (7 bits) guards
            // against 16-bit overflow on CPUs without VNNI, yet cost more accuracy on STS-B here.
            case INT8 -> "ops.quantized.linear_dynamic(" + input + ", " + packed + ", False)";
        };
    }

    /**
     * The weight or bias ({@code suffix}) of a block's linear layer: an element of the local {@code
     * w} or {@code fused}.
     */
    private String weightOf(int layer, String linear, String suffix) {
        if (linear.equals(FUSED_QKV)) {
            return "fused[" + (2 * layer + (suffix.equals(".weight") ? 0 : 1)) + "]";
        }
        return "w[" + w("encoder.layer." + layer + "." + linear + suffix) + "]";
    }

    private String layerNorm(String input, String prefix) {
        return String.format(
                Locale.ROOT,
                "torch.layer_norm(%s, [%d], w[%d], w[%d], %s)",
                input,
                config.hiddenSize(),
                w(prefix + ".weight"),
                w(prefix + ".bias"),
                Double.toString(config.layerNormEps()));
    }

    private int w(String name) {
        Integer i = index.get(name);
        if (i == null) {
            throw new IllegalArgumentException("the block has no parameter '" + name + "'");
        }
        return i;
    }

    private void line(int indent, String text) {
        out.append("  ".repeat(indent)).append(text).append('\n');
    }
}
