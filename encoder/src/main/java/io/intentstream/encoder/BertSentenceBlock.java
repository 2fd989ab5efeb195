package io.intentstream.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face compatible BERT encoder with sentence pooling and optional L2 normalisation, as
 * one DJL block, so that training differentiates through pooling and normalisation.
 *
 * <p>Input: {@code (inputIds, attentionMask)}, both int64 of shape (batch, tokens), mask 1 for a
 * token and 0 for padding; the mask may be left out when no row is padded, which saves work.
 * Output: one float32 array of shape (batch, hidden): the sentence vectors. Parameters are named
 * exactly as in a Hugging Face {@code BertModel} checkpoint and use PyTorch's layouts (Linear
 * weight (out, in)). The layers follow {@code BertModel}: post-norm residual blocks, LayerNorm with
 * the configured epsilon and exact (erf) GELU, and, in training only, {@code BertModel}'s dropout:
 * on the embeddings, the attention probabilities and each residual branch, at the rates of {@code
 * config.json}. Dropout draws from PyTorch's global generator; seed it through the engine for a
 * reproducible step.
 */
public final class BertSentenceBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final BertConfig config;
    private final PoolingMode pooling;
    private final boolean normalize;
    private final Map<String, Parameter> byName = new LinkedHashMap<>();
    private final Map<String, Shape> expectedShapes = new LinkedHashMap<>();
    private final Parameter wordEmbeddings;
    private final Parameter positionEmbeddings;
    private final Parameter tokenTypeEmbeddings;
    private final Norm embeddingNorm;
    private final List<Layer> layers = new ArrayList<>();

    public BertSentenceBlock(BertConfig config, PoolingMode pooling, boolean normalize) {
        super(VERSION);
        this.config = config;
        this.pooling = pooling;
        this.normalize = normalize;
        int h = config.hiddenSize();
        wordEmbeddings =
                param(
                        "embeddings.word_embeddings.weight",
                        Parameter.Type.WEIGHT,
                        config.vocabSize(),
                        h);
        positionEmbeddings =
                param(
                        "embeddings.position_embeddings.weight",
                        Parameter.Type.WEIGHT,
                        config.maxPositionEmbeddings(),
                        h);
        tokenTypeEmbeddings =
                param(
                        "embeddings.token_type_embeddings.weight",
                        Parameter.Type.WEIGHT,
                        config.typeVocabSize(),
                        h);
        embeddingNorm = norm("embeddings.LayerNorm");
        for (int i = 0; i < config.numLayers(); i++) {
            String p = "encoder.layer." + i + ".";
            layers.add(
                    new Layer(
                            dense(p + "attention.self.query", h, h),
                            dense(p + "attention.self.key", h, h),
                            dense(p + "attention.self.value", h, h),
                            dense(p + "attention.output.dense", h, h),
                            norm(p + "attention.output.LayerNorm"),
                            dense(p + "intermediate.dense", config.intermediateSize(), h),
                            dense(p + "output.dense", h, config.intermediateSize()),
                            norm(p + "output.LayerNorm")));
        }
    }

    public BertConfig config() {
        return config;
    }

    public PoolingMode pooling() {
        return pooling;
    }

    public boolean normalizes() {
        return normalize;
    }

    /** Every parameter under its Hugging Face name, in checkpoint order. */
    public Map<String, Parameter> namedParameters() {
        return Collections.unmodifiableMap(byName);
    }

    /** The shape each named parameter must have. */
    public Map<String, Shape> expectedShapes() {
        return Collections.unmodifiableMap(expectedShapes);
    }

    /**
     * Sets every parameter from arrays keyed by Hugging Face name.
     *
     * @throws IllegalArgumentException naming the first missing or mis-shaped tensor
     */
    public void setWeights(Map<String, NDArray> arrays) {
        for (Map.Entry<String, Shape> e : expectedShapes.entrySet()) {
            NDArray a = arrays.get(e.getKey());
            if (a == null) {
                throw new IllegalArgumentException("weights lack tensor '" + e.getKey() + "'");
            }
            if (!a.getShape().equals(e.getValue())) {
                throw new IllegalArgumentException(
                        "tensor '"
                                + e.getKey()
                                + "' has shape "
                                + a.getShape()
                                + ", expected "
                                + e.getValue());
            }
            byName.get(e.getKey()).setArray(a);
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.get(0); // (batch, tokens)
        NDArray mask =
                inputs.size() > 1 ? inputs.get(1) : null; // (batch, tokens) or none: no padding
        Weights w = new Weights(ps, ids, training);
        long batch = ids.getShape().get(0);
        long tokens = ids.getShape().get(1);
        if (tokens > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException(
                    tokens
                            + " tokens exceed max_position_embeddings "
                            + config.maxPositionEmbeddings());
        }

        NDManager m = ids.getManager();
        // The layers work on (batch × tokens, hidden): PyTorch's linear is a little faster on a 2-D
        // input than on the same memory viewed in 3-D (1 to 3 % for a whole call on one core).
        NDArray hidden =
                embed(w, ids, m.arange(0, (int) tokens, 1, DataType.INT64).expandDims(0))
                        .reshape(batch * tokens, config.hiddenSize());
        DataType compute = hidden.getDataType();
        // (batch, 1, 1, tokens): 0 where attended, the most negative value where padded, as in HF.
        float minValue = compute == DataType.FLOAT16 ? -65504f : -Float.MAX_VALUE;
        NDArray maskBias =
                mask == null
                        ? null
                        : mask.toType(compute, false)
                                .neg()
                                .add(1f)
                                .mul(minValue)
                                .reshape(batch, 1, 1, tokens);

        for (Layer layer : layers) {
            if (training) {
                hidden = layer.forward(w, hidden, maskBias, batch, tokens);
            } else {
                // Frees each layer's intermediates as soon as the layer is done.
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray next = layer.forward(w, hidden, maskBias, batch, tokens);
                    NDScope.unregister(next);
                    hidden.close();
                    hidden = next;
                }
            }
        }
        NDArray pooled =
                pool(hidden.reshape(batch, tokens, config.hiddenSize()), mask)
                        .toType(DataType.FLOAT32, false); // (batch, hidden)
        if (normalize) {
            pooled =
                    pooled.div(
                            pooled.norm(new int[] {-1}, true)
                                    .maximum(GraphConstant.of(pooled, 1e-12f)));
        }
        return new NDList(pooled);
    }

    private NDArray embed(Weights w, NDArray ids, NDArray positions) {
        NDArray words = Embedding.embedding(ids, w.get(wordEmbeddings), SparseFormat.DENSE).head();
        NDArray pos =
                Embedding.embedding(positions, w.get(positionEmbeddings), SparseFormat.DENSE)
                        .head();
        NDArray types =
                Embedding.embedding(ids.zerosLike(), w.get(tokenTypeEmbeddings), SparseFormat.DENSE)
                        .head();
        return dropout(
                embeddingNorm.apply(w, words.add(pos).add(types)),
                config.hiddenDropoutProb(),
                w.training());
    }

    /** Inverted dropout in training (PyTorch's), the identity otherwise. */
    private static NDArray dropout(NDArray x, float rate, boolean training) {
        return training && rate > 0 ? Dropout.dropout(x, rate, true).head() : x;
    }

    private NDArray pool(NDArray hidden, NDArray mask) {
        if (mask == null) {
            return switch (pooling) {
                case MEAN -> hidden.mean(new int[] {1});
                case CLS -> hidden.get(":, 0, :");
                case MAX -> hidden.max(new int[] {1});
            };
        }
        NDArray maskF =
                mask.toType(hidden.getDataType(), false).expandDims(-1); // (batch, tokens, 1)
        return switch (pooling) {
            case MEAN ->
                    hidden.mul(maskF)
                            .sum(new int[] {1})
                            .div(maskF.sum(new int[] {1}).maximum(1e-9f));
            case CLS -> hidden.get(":, 0, :");
            case MAX -> hidden.add(maskF.neg().add(1f).mul(-1e9f)).max(new int[] {1});
        };
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), config.hiddenSize())};
    }

    private Parameter param(String name, Parameter.Type type, long... shape) {
        Parameter p = addParameter(Parameter.builder().setName(name).setType(type).build());
        byName.put(name, p);
        expectedShapes.put(name, new Shape(shape));
        return p;
    }

    private Dense dense(String prefix, int out, int in) {
        return new Dense(
                param(prefix + ".weight", Parameter.Type.WEIGHT, out, in),
                param(prefix + ".bias", Parameter.Type.BIAS, out));
    }

    private Norm norm(String prefix) {
        return new Norm(
                param(prefix + ".weight", Parameter.Type.GAMMA, config.hiddenSize()),
                param(prefix + ".bias", Parameter.Type.BETA, config.hiddenSize()),
                new Shape(config.hiddenSize()),
                config.layerNormEps());
    }

    /** Parameter values on the input's device. */
    private record Weights(ParameterStore ps, NDArray input, boolean training) {
        NDArray get(Parameter p) {
            return ps.getValue(p, input.getDevice(), training);
        }
    }

    private record Dense(Parameter weight, Parameter bias) {
        NDArray apply(Weights w, NDArray x) {
            return Linear.linear(x, w.get(weight), w.get(bias)).head();
        }
    }

    private record Norm(Parameter gamma, Parameter beta, Shape shape, float eps) {
        NDArray apply(Weights w, NDArray x) {
            return LayerNorm.layerNorm(x, shape, w.get(gamma), w.get(beta), eps).head();
        }
    }

    private final class Layer {
        private final Dense query;
        private final Dense key;
        private final Dense value;
        private final Dense attentionOut;
        private final Norm attentionNorm;
        private final Dense intermediate;
        private final Dense output;
        private final Norm outputNorm;

        Layer(
                Dense query,
                Dense key,
                Dense value,
                Dense attentionOut,
                Norm attentionNorm,
                Dense intermediate,
                Dense output,
                Norm outputNorm) {
            this.query = query;
            this.key = key;
            this.value = value;
            this.attentionOut = attentionOut;
            this.attentionNorm = attentionNorm;
            this.intermediate = intermediate;
            this.output = output;
            this.outputNorm = outputNorm;
        }

        /** x: (batch × tokens, hidden) → (batch × tokens, hidden). */
        NDArray forward(Weights w, NDArray x, NDArray maskBias, long batch, long tokens) {
            int heads = config.numHeads();
            int headSize = config.headSize();
            Shape split = new Shape(batch, tokens, heads, headSize);
            NDArray q = query.apply(w, x).reshape(split).transpose(0, 2, 1, 3); // (b, h, t, d)
            NDArray k = key.apply(w, x).reshape(split).transpose(0, 2, 3, 1); // (b, h, d, t)
            NDArray v = value.apply(w, x).reshape(split).transpose(0, 2, 1, 3); // (b, h, t, d)
            NDArray scores =
                    q.matMul(k)
                            .div(GraphConstant.of(q, (float) Math.sqrt(headSize))); // (b, h, t, t)
            if (maskBias != null) {
                scores = scores.add(maskBias);
            }
            // PyTorch's CPU softmax over the last axis of a 4-D tensor is an order of magnitude
            // slower than over a 2-D view of the same memory.
            NDArray probs =
                    dropout(
                                    scores.reshape(-1, tokens).softmax(-1),
                                    config.attentionDropoutProb(),
                                    w.training())
                            .reshape(batch, heads, tokens, tokens);
            NDArray context =
                    probs.matMul(v)
                            .transpose(0, 2, 1, 3)
                            .reshape(batch * tokens, config.hiddenSize());
            float residualDropout = config.hiddenDropoutProb();
            NDArray attended =
                    attentionNorm.apply(
                            w,
                            dropout(attentionOut.apply(w, context), residualDropout, w.training())
                                    .add(x));
            NDArray inner =
                    Activation.gelu(intermediate.apply(w, attended)); // (b × t, intermediate)
            return outputNorm.apply(
                    w,
                    dropout(output.apply(w, inner), residualDropout, w.training()).add(attended));
        }
    }
}
