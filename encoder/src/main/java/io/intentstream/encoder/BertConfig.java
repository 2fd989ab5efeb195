package io.intentstream.encoder;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The architecture of a BERT-family transformer, read from and written to a Hugging Face {@code
 * config.json}.
 *
 * @param vocabSize rows of the word embedding table
 * @param hiddenSize width of every hidden state
 * @param numLayers number of transformer layers
 * @param numHeads attention heads per layer; must divide {@code hiddenSize}
 * @param intermediateSize width of the feed-forward layer
 * @param maxPositionEmbeddings rows of the position embedding table
 * @param typeVocabSize rows of the token type embedding table
 * @param layerNormEps epsilon of every LayerNorm
 * @param hiddenDropoutProb dropout on the embeddings and on each residual branch, in training only
 * @param attentionDropoutProb dropout on the attention probabilities, in training only
 */
public record BertConfig(
        int vocabSize,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int intermediateSize,
        int maxPositionEmbeddings,
        int typeVocabSize,
        float layerNormEps,
        float hiddenDropoutProb,
        float attentionDropoutProb) {

    /** Hugging Face's BERT default for both dropout probabilities. */
    public static final float DEFAULT_DROPOUT = 0.1f;

    /** all-MiniLM-L6-v2's architecture. */
    public static final BertConfig MINILM_L6 =
            new BertConfig(
                    30522, 384, 6, 12, 1536, 512, 2, 1e-12f, DEFAULT_DROPOUT, DEFAULT_DROPOUT);

    public BertConfig {
        if (hiddenSize <= 0 || numHeads <= 0 || hiddenSize % numHeads != 0) {
            throw new IllegalArgumentException(
                    "hidden_size "
                            + hiddenSize
                            + " must be a positive multiple of num_attention_heads "
                            + numHeads);
        }
        if (numLayers <= 0
                || vocabSize <= 0
                || intermediateSize <= 0
                || maxPositionEmbeddings <= 0) {
            throw new IllegalArgumentException("config sizes must be positive: " + this);
        }
        if (!(hiddenDropoutProb >= 0
                && hiddenDropoutProb < 1
                && attentionDropoutProb >= 0
                && attentionDropoutProb < 1)) {
            throw new IllegalArgumentException("dropout probabilities must be in [0, 1): " + this);
        }
    }

    /** The same architecture with other dropout probabilities (they change training only). */
    public BertConfig withDropout(float hidden, float attention) {
        return new BertConfig(
                vocabSize,
                hiddenSize,
                numLayers,
                numHeads,
                intermediateSize,
                maxPositionEmbeddings,
                typeVocabSize,
                layerNormEps,
                hidden,
                attention);
    }

    public int headSize() {
        return hiddenSize / numHeads;
    }

    /** Parses a Hugging Face {@code config.json}; only BERT-style models with GELU are accepted. */
    public static BertConfig fromJson(String json) {
        JsonObject o = JsonParser.parseString(json).getAsJsonObject();
        String act = o.has("hidden_act") ? o.get("hidden_act").getAsString() : "gelu";
        if (!act.equals("gelu")) {
            throw new IllegalArgumentException(
                    "unsupported hidden_act '" + act + "': only exact gelu is implemented");
        }
        return new BertConfig(
                o.get("vocab_size").getAsInt(),
                o.get("hidden_size").getAsInt(),
                o.get("num_hidden_layers").getAsInt(),
                o.get("num_attention_heads").getAsInt(),
                o.get("intermediate_size").getAsInt(),
                o.get("max_position_embeddings").getAsInt(),
                o.has("type_vocab_size") ? o.get("type_vocab_size").getAsInt() : 2,
                o.has("layer_norm_eps") ? o.get("layer_norm_eps").getAsFloat() : 1e-12f,
                floatOr(o, "hidden_dropout_prob", DEFAULT_DROPOUT),
                floatOr(o, "attention_probs_dropout_prob", DEFAULT_DROPOUT));
    }

    private static float floatOr(JsonObject o, String key, float fallback) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsFloat() : fallback;
    }

    /** A {@code config.json} that Hugging Face transformers loads as a {@code BertModel}. */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        com.google.gson.JsonArray arch = new com.google.gson.JsonArray();
        arch.add("BertModel");
        o.add("architectures", arch);
        o.addProperty("model_type", "bert");
        o.addProperty("attention_probs_dropout_prob", attentionDropoutProb);
        o.addProperty("hidden_act", "gelu");
        o.addProperty("hidden_dropout_prob", hiddenDropoutProb);
        o.addProperty("hidden_size", hiddenSize);
        o.addProperty("initializer_range", 0.02);
        o.addProperty("intermediate_size", intermediateSize);
        o.addProperty("layer_norm_eps", layerNormEps);
        o.addProperty("max_position_embeddings", maxPositionEmbeddings);
        o.addProperty("num_attention_heads", numHeads);
        o.addProperty("num_hidden_layers", numLayers);
        o.addProperty("pad_token_id", 0);
        o.addProperty("position_embedding_type", "absolute");
        o.addProperty("torch_dtype", "float32");
        o.addProperty("type_vocab_size", typeVocabSize);
        o.addProperty("use_cache", true);
        o.addProperty("vocab_size", vocabSize);
        return o;
    }
}
