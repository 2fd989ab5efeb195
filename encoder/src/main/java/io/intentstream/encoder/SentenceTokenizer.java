package io.intentstream.encoder;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Turns texts into token ids with a Hugging Face {@code tokenizer.json}, truncated at the model's
 * maximum length and not padded: padding is per batch ({@link TokenBatch}), to its longest text.
 *
 * <p>Padding, truncation and the maximum length are passed explicitly, overriding whatever the file
 * says (all-MiniLM-L6-v2's file pads every text to a fixed 128).
 */
public final class SentenceTokenizer implements AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;

    public SentenceTokenizer(byte[] tokenizerJson, int maxLength) {
        this.maxLength = maxLength;
        Map<String, String> options =
                Map.of(
                        "padding", "false",
                        "truncation", "true",
                        "maxLength", Integer.toString(maxLength),
                        "addSpecialTokens", "true");
        try {
            this.tokenizer =
                    HuggingFaceTokenizer.newInstance(
                            new ByteArrayInputStream(tokenizerJson), options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer.json", e);
        }
    }

    public int maxLength() {
        return maxLength;
    }

    /** Token ids of each text, special tokens included, at most {@link #maxLength()} each. */
    public long[][] tokenize(List<String> texts) {
        Encoding[] encodings = tokenizer.batchEncode(texts);
        long[][] ids = new long[encodings.length][];
        for (int i = 0; i < encodings.length; i++) {
            ids[i] = encodings[i].getIds();
        }
        return ids;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
