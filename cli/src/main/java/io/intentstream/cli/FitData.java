package io.intentstream.cli;

import io.intentstream.trainer.data.DataFormatException;
import io.intentstream.trainer.data.InputExample;
import io.intentstream.trainer.data.LabelledText;
import io.intentstream.trainer.data.LabelledTextReader;
import io.intentstream.trainer.data.StsReader;
import io.intentstream.trainer.fit.BatchSource;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Training data for {@code fit}: reads each {@code --format} into examples and batches them. Files
 * are CSV, or TSV when the name ends in {@code .tsv}, with a header naming the columns.
 */
final class FitData {

    /** The data formats {@code fit} reads, with the columns each needs. */
    enum Format {
        PAIRS_SCORE("sentence1", "sentence2", "score"),
        PAIRS_BINARY("sentence1", "sentence2", "label"),
        TRIPLETS("anchor", "positive", "negative"),
        ANCHOR_POSITIVE("anchor", "positive"),
        NLI("premise", "hypothesis", "label"),
        LABELLED("text", "label");

        final List<String> columns;

        Format(String... columns) {
            this.columns = List.of(columns);
        }
    }

    static final List<String> NLI_LABELS = List.of("contradiction", "entailment", "neutral");

    private FitData() {}

    /**
     * Reads {@code file}. Labelled utterances become (anchor, positive) pairs of the same label, or
     * (anchor, positive, negative) triplets when {@code triplets}; the label of such a pair is its
     * class index, so that batches can keep classes apart.
     *
     * @param scoreMax pairs-score scores are divided by this (5 for STS: 0–5 → 0–1)
     */
    static List<InputExample> read(Path file, Format format, float scoreMax, boolean triplets, long seed)
            throws IOException {
        return switch (format) {
            case PAIRS_SCORE -> isTsv(file) && header(file).contains("sentence1")
                    ? scaled(StsReader.read(file, false), scoreMax)
                    : scaled(columns(file, format, (r, line) -> InputExample.pair(r.get(0), r.get(1),
                            number(file, line, "score", r.get(2)))), scoreMax);
            case PAIRS_BINARY -> columns(file, format, (r, line) -> {
                float y = number(file, line, "label", r.get(2));
                if (y != 0f && y != 1f) {
                    throw new DataFormatException(file, line, "label", "expected 0 or 1, got " + r.get(2));
                }
                return InputExample.pair(r.get(0), r.get(1), y);
            });
            case TRIPLETS -> columns(file, format, (r, line) -> new InputExample(List.of(r.get(0), r.get(1), r.get(2)), null));
            case ANCHOR_POSITIVE -> columns(file, format, (r, line) -> new InputExample(r.size() > 2 && !r.get(2).isEmpty()
                    ? List.of(r.get(0), r.get(1), r.get(2)) : List.of(r.get(0), r.get(1)), null));
            case NLI -> columns(file, format, (r, line) -> {
                int y = NLI_LABELS.indexOf(r.get(2).strip().toLowerCase(java.util.Locale.ROOT));
                if (y < 0) {
                    throw new DataFormatException(file, line, "label", "expected one of " + NLI_LABELS + ", got " + r.get(2));
                }
                return InputExample.pair(r.get(0), r.get(1), y);
            });
            case LABELLED -> sameLabelExamples(LabelledTextReader.read(file), triplets, seed);
        };
    }

    /** Each utterance as an anchor, with another utterance of its label as positive (and one of another label as negative). */
    static List<InputExample> sameLabelExamples(List<LabelledText> rows, boolean triplets, long seed) {
        Map<String, List<String>> byLabel = new LinkedHashMap<>();
        for (LabelledText t : rows) {
            byLabel.computeIfAbsent(t.label(), k -> new ArrayList<>()).add(t.text());
        }
        List<String> labels = new ArrayList<>(byLabel.keySet());
        Random random = new Random(seed);
        List<InputExample> out = new ArrayList<>();
        for (int c = 0; c < labels.size(); c++) {
            List<String> texts = byLabel.get(labels.get(c));
            if (texts.size() < 2) {
                continue; // no positive for a lone utterance
            }
            for (int i = 0; i < texts.size(); i++) {
                int j = random.nextInt(texts.size() - 1);
                String positive = texts.get(j >= i ? j + 1 : j);
                if (triplets) {
                    int other = (c + 1 + random.nextInt(labels.size() - 1)) % labels.size();
                    List<String> negatives = byLabel.get(labels.get(other));
                    out.add(new InputExample(List.of(texts.get(i), positive,
                            negatives.get(random.nextInt(negatives.size()))), (float) c));
                } else {
                    out.add(new InputExample(List.of(texts.get(i), positive), (float) c));
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no label has two utterances: cannot build same-label pairs");
        }
        return out;
    }

    /**
     * Shuffled batches (seeded by seed and epoch) in which no two examples share a label, so that no
     * in-batch negative of MultipleNegativesRankingLoss is a false one.
     */
    static BatchSource noDuplicateLabelBatches(List<InputExample> examples, int batchSize, long seed) {
        return epoch -> {
            List<InputExample> remaining = new ArrayList<>(examples);
            Collections.shuffle(remaining, new Random(seed * 31 + epoch));
            List<List<InputExample>> batches = new ArrayList<>();
            while (!remaining.isEmpty()) {
                List<InputExample> batch = new ArrayList<>(batchSize);
                Set<Float> seen = new HashSet<>();
                for (Iterator<InputExample> it = remaining.iterator(); it.hasNext() && batch.size() < batchSize; ) {
                    InputExample e = it.next();
                    if (seen.add(e.label())) {
                        batch.add(e);
                        it.remove();
                    }
                }
                batches.add(List.copyOf(batch));
            }
            return batches;
        };
    }

    private static List<InputExample> scaled(List<InputExample> examples, float scoreMax) {
        if (scoreMax == 1f) {
            return examples;
        }
        List<InputExample> out = new ArrayList<>(examples.size());
        for (InputExample e : examples) {
            out.add(new InputExample(e.texts(), e.label() / scoreMax));
        }
        return out;
    }

    private static boolean isTsv(Path file) {
        return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".tsv");
    }

    private static String header(Path file) throws IOException {
        try (var r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String h = r.readLine();
            return h == null ? "" : h;
        }
    }

    private interface RowMapper {
        InputExample map(List<String> row, long line) throws DataFormatException;
    }

    /** Reads the format's columns (the optional ones may be absent) in their declared order. */
    private static List<InputExample> columns(Path file, Format format, RowMapper mapper) throws IOException {
        CSVFormat csv = (isTsv(file) ? CSVFormat.TDF : CSVFormat.RFC4180).builder()
                .setHeader().setSkipHeaderRecord(true).get();
        List<InputExample> out = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = csv.parse(reader)) {
            for (String column : format.columns) {
                if (!parser.getHeaderMap().containsKey(column)) {
                    throw new DataFormatException(file, 1, column,
                            "header lacks this column; " + format.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                                    + " needs " + format.columns);
                }
            }
            boolean hasNegative = format == Format.ANCHOR_POSITIVE && parser.getHeaderMap().containsKey("negative");
            for (CSVRecord r : parser) {
                long line = r.getParser().getCurrentLineNumber();
                if (!r.isConsistent()) {
                    throw new DataFormatException(file, line, null,
                            "expected " + parser.getHeaderMap().size() + " fields, found " + r.size());
                }
                List<String> row = new ArrayList<>();
                for (String column : format.columns) {
                    row.add(r.get(column));
                }
                if (hasNegative) {
                    row.add(r.get("negative"));
                }
                for (int i = 0; i < format.columns.size(); i++) {
                    if (row.get(i).isBlank() && !format.columns.get(i).equals("label")) {
                        throw new DataFormatException(file, line, format.columns.get(i), "empty text");
                    }
                }
                out.add(mapper.map(row, line));
            }
        } catch (java.io.UncheckedIOException e) {
            throw new DataFormatException(file, -1, null, "malformed file: " + e.getCause().getMessage());
        }
        if (out.isEmpty()) {
            throw new DataFormatException(file, 1, null, "no examples after the header");
        }
        return out;
    }

    private static float number(Path file, long line, String column, String value) throws DataFormatException {
        try {
            return Float.parseFloat(value.strip());
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, line, column, "not a number: '" + value + "'");
        }
    }
}
