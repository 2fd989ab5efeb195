package io.intentstream.trainer.data;

import java.util.List;

/**
 * One training or evaluation example, as sentence-transformers' {@code InputExample}: one to three
 * texts and an optional label (a similarity score, or a class index as a float).
 */
public record InputExample(List<String> texts, Float label) {

    public InputExample {
        texts = List.copyOf(texts);
        if (texts.isEmpty() || texts.size() > 3) {
            throw new IllegalArgumentException("an example has 1 to 3 texts, got " + texts.size());
        }
    }

    public static InputExample pair(String a, String b, float label) {
        return new InputExample(List.of(a, b), label);
    }

    public String text(int i) {
        return texts.get(i);
    }
}
