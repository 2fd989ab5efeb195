package io.intentstream.encoder;

/** How token vectors become one sentence vector, as in sentence-transformers' {@code Pooling}. */
public enum PoolingMode {
    /** Average of the token vectors under the attention mask. */
    MEAN,
    /** The first token's ({@code [CLS]}) vector. */
    CLS,
    /** Element-wise maximum over the unmasked tokens. */
    MAX
}
