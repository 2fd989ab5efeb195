package io.intentstream.trainer.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The training and evaluation file formats, with the names the command line uses. Every format is a
 * UTF-8 table with a header row: {@code .tsv} files are split on tabs only (no quoting), any other
 * file is RFC 4180 CSV. Columns are found by name; their order and extra columns do not matter.
 *
 * <table>
 *   <caption>Columns per format</caption>
 *   <tr><th>format</th><th>columns</th><th>examples read</th></tr>
 *   <tr><td>pairs-score</td><td>sentence1, sentence2, score (or label)</td>
 *       <td>(s1, s2) with the score normalised to 0–1: scores within [-1, 1] kept, scores up to 5
 *       (STS) divided by 5</td></tr>
 *   <tr><td>pairs-binary</td><td>sentence1, sentence2, label (0 or 1)</td><td>(s1, s2) labelled 0 or 1</td></tr>
 *   <tr><td>triplets</td><td>anchor, positive, negative</td><td>(a, p, n), no label</td></tr>
 *   <tr><td>anchor-positive</td><td>anchor, positive[, negative]</td>
 *       <td>(a, p), or (a, p, n) where the optional hard-negative column is filled; no label</td></tr>
 *   <tr><td>nli</td><td>premise (or sentence1), hypothesis (or sentence2), label</td>
 *       <td>(premise, hypothesis) labelled contradiction 0, entailment 1, neutral 2 ({@link NliLabel})</td></tr>
 *   <tr><td>labelled</td><td>text, label</td>
 *       <td>(text) labelled with its class index, labels numbered in sorted order; {@link
 *       LabelledPairs} turns them into pairs or triplets</td></tr>
 * </table>
 */
public enum DataFormat {
    PAIRS_SCORE("pairs-score", "sentence1, sentence2, score"),
    PAIRS_BINARY("pairs-binary", "sentence1, sentence2, label (0/1)"),
    TRIPLETS("triplets", "anchor, positive, negative"),
    ANCHOR_POSITIVE("anchor-positive", "anchor, positive[, negative]"),
    NLI("nli", "premise, hypothesis, label (contradiction/entailment/neutral or 0/1/2)"),
    LABELLED("labelled", "text, label");

    private final String cliName;
    private final String columns;

    DataFormat(String cliName, String columns) {
        this.cliName = cliName;
        this.columns = columns;
    }

    /** The name used on the command line, e.g. {@code pairs-score}. */
    public String cliName() {
        return cliName;
    }

    /** The header columns this format expects, for help texts and error messages. */
    public String columns() {
        return columns;
    }

    /** Reads a file of this format; errors name file, line and column. */
    public List<InputExample> read(Path file) throws IOException {
        return switch (this) {
            case PAIRS_SCORE -> ExampleReader.pairsWithScore(file, null);
            case PAIRS_BINARY -> ExampleReader.binaryPairs(file);
            case TRIPLETS -> ExampleReader.triplets(file);
            case ANCHOR_POSITIVE -> ExampleReader.anchorPositive(file);
            case NLI -> ExampleReader.nli(file);
            case LABELLED -> ExampleReader.labelled(file);
        };
    }

    /**
     * The format with this command-line name (or enum name, any case).
     *
     * @throws IllegalArgumentException listing the valid names
     */
    public static DataFormat fromCliName(String name) {
        for (DataFormat f : values()) {
            if (f.cliName.equalsIgnoreCase(name) || f.name().equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException(
                "unknown data format '"
                        + name
                        + "'; expected one of "
                        + Arrays.stream(values())
                                .map(DataFormat::cliName)
                                .collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
