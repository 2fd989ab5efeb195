package io.intentstream.trainer.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads training and evaluation examples from a delimited file with a header (see {@link
 * DataFormat} for the columns of each format). A {@code .tsv} file is split on tabs only; any other
 * file is RFC 4180 CSV. Columns are found by name, so their order and any extra columns do not
 * matter. Every error names the file, the line and the column.
 */
public final class ExampleReader {

    private static final Logger log = LoggerFactory.getLogger(ExampleReader.class);

    /** STS-B's scores run from 0 to 5. */
    public static final float STS_MAX_SCORE = 5f;

    private ExampleReader() {}

    /**
     * Sentence pairs with a similarity score, columns {@code sentence1}, {@code sentence2} and
     * {@code score} (or {@code label}). Scores are divided by {@code maxScore}; with {@code null}
     * the scale is inferred: scores within [-1, 1] are kept, scores up to {@value #STS_MAX_SCORE}
     * are taken as STS's 0–5 scale and divided by 5, larger ones are an error asking for the scale.
     */
    public static List<InputExample> pairsWithScore(Path file, Float maxScore) throws IOException {
        DelimitedTable t = DelimitedTable.read(file);
        int s1 = t.column("sentence1");
        int s2 = t.column("sentence2");
        int score = t.column("score", "label");
        List<String[]> texts = new ArrayList<>();
        float[] scores = new float[t.rows().size()];
        float max = Float.NEGATIVE_INFINITY;
        DelimitedTable.Row maxRow = null;
        for (int i = 0; i < scores.length; i++) {
            DelimitedTable.Row row = t.rows().get(i);
            texts.add(new String[] {t.text(row, s1), t.text(row, s2)});
            scores[i] = t.number(row, score);
            if (scores[i] > max) {
                max = scores[i];
                maxRow = row;
            }
        }
        float divisor;
        if (maxScore != null) {
            if (!(maxScore > 0)) {
                throw new IllegalArgumentException(
                        "the maximum score must be positive, got " + maxScore);
            }
            divisor = maxScore;
        } else if (maxRow == null || max <= 1f) {
            divisor = 1f;
        } else if (max <= STS_MAX_SCORE) {
            divisor = STS_MAX_SCORE;
            log.info("{}: scores up to {} taken as the STS 0-5 scale and divided by 5", file, max);
        } else {
            throw new DataFormatException(
                    file,
                    maxRow.line(),
                    t.header().get(score),
                    "score "
                            + max
                            + " is above 5: state the scale's maximum so that scores can be"
                            + " normalised to 0-1");
        }
        List<InputExample> out = new ArrayList<>(scores.length);
        for (int i = 0; i < scores.length; i++) {
            out.add(InputExample.pair(texts.get(i)[0], texts.get(i)[1], scores[i] / divisor));
        }
        return out;
    }

    /**
     * Sentence pairs labelled 1 (similar) or 0, columns {@code sentence1}, {@code sentence2},
     * {@code label}.
     */
    public static List<InputExample> binaryPairs(Path file) throws IOException {
        DelimitedTable t = DelimitedTable.read(file);
        int s1 = t.column("sentence1");
        int s2 = t.column("sentence2");
        int label = t.column("label");
        List<InputExample> out = new ArrayList<>();
        for (DelimitedTable.Row row : t.rows()) {
            float value = t.number(row, label);
            if (value != 0f && value != 1f) {
                throw new DataFormatException(
                        file,
                        row.line(),
                        "label",
                        "expected 0 or 1, found '" + row.fields().get(label).strip() + "'");
            }
            out.add(InputExample.pair(t.text(row, s1), t.text(row, s2), value));
        }
        return out;
    }

    /**
     * (anchor, positive, negative) triplets, columns {@code anchor}, {@code positive}, {@code
     * negative}.
     */
    public static List<InputExample> triplets(Path file) throws IOException {
        DelimitedTable t = DelimitedTable.read(file);
        int a = t.column("anchor");
        int p = t.column("positive");
        int n = t.column("negative");
        List<InputExample> out = new ArrayList<>();
        for (DelimitedTable.Row row : t.rows()) {
            out.add(
                    new InputExample(
                            List.of(t.text(row, a), t.text(row, p), t.text(row, n)), null));
        }
        return out;
    }

    /**
     * (anchor, positive) pairs, columns {@code anchor} and {@code positive}, with an optional
     * {@code negative} column of hard negatives: rows with a negative become triplets, rows with an
     * empty one stay pairs.
     */
    public static List<InputExample> anchorPositive(Path file) throws IOException {
        DelimitedTable t = DelimitedTable.read(file);
        int a = t.column("anchor");
        int p = t.column("positive");
        int n = t.optionalColumn("negative");
        List<InputExample> out = new ArrayList<>();
        for (DelimitedTable.Row row : t.rows()) {
            List<String> texts = new ArrayList<>(List.of(t.text(row, a), t.text(row, p)));
            if (n >= 0 && !row.fields().get(n).isBlank()) {
                texts.add(row.fields().get(n));
            }
            out.add(new InputExample(texts, null));
        }
        return out;
    }

    /**
     * NLI pairs, columns {@code premise} (or {@code sentence1}), {@code hypothesis} (or {@code
     * sentence2}) and {@code label}: a name or index as {@link NliLabel} parses it; the example's
     * label is the class index.
     */
    public static List<InputExample> nli(Path file) throws IOException {
        DelimitedTable t = DelimitedTable.read(file);
        int premise = t.column("premise", "sentence1");
        int hypothesis = t.column("hypothesis", "sentence2");
        int label = t.column("label");
        List<InputExample> out = new ArrayList<>();
        for (DelimitedTable.Row row : t.rows()) {
            NliLabel value;
            try {
                value = NliLabel.parse(row.fields().get(label));
            } catch (IllegalArgumentException e) {
                throw new DataFormatException(file, row.line(), "label", e.getMessage());
            }
            out.add(
                    InputExample.pair(
                            t.text(row, premise), t.text(row, hypothesis), value.index()));
        }
        return out;
    }

    /** Labelled utterances, columns {@code text} and {@code label}. */
    public static List<LabelledText> labelledTexts(Path file) throws IOException {
        DelimitedTable t = DelimitedTable.read(file);
        int text = t.column("text");
        int label = t.column("label");
        List<LabelledText> out = new ArrayList<>();
        for (DelimitedTable.Row row : t.rows()) {
            out.add(new LabelledText(t.text(row, text), t.text(row, label).strip()));
        }
        return out;
    }

    /**
     * Labelled utterances as one-text examples whose label is the class index: labels are numbered
     * 0, 1, ... in sorted order of their names, so the numbering does not depend on row order.
     */
    public static List<InputExample> labelled(Path file) throws IOException {
        return LabelledPairs.indexed(labelledTexts(file));
    }

    /** Sorted label names and their indices, as {@link #labelled} numbers them. */
    static Map<String, Integer> labelIndex(List<LabelledText> rows) {
        Map<String, Integer> index = new TreeMap<>();
        rows.forEach(r -> index.put(r.label(), 0));
        int i = 0;
        for (Map.Entry<String, Integer> e : index.entrySet()) {
            e.setValue(i++);
        }
        return index;
    }
}
