package io.intentstream.trainer.data;

/**
 * A text and its intent label, e.g. a row of BANKING77. The label {@value #OUT_OF_SCOPE} means no
 * intent.
 */
public record LabelledText(String text, String label) {

    public static final String OUT_OF_SCOPE = "oos";

    public boolean outOfScope() {
        return OUT_OF_SCOPE.equals(label);
    }
}
