package io.intentstream.trainer.data;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** Reads {@code text,label} CSV (RFC 4180 quoting, UTF-8, header row naming both columns). */
public final class LabelledTextReader {

    private LabelledTextReader() {}

    public static List<LabelledText> read(Path file) throws IOException {
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();
        List<LabelledText> rows = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = format.parse(reader)) {
            for (String column : List.of("text", "label")) {
                if (!parser.getHeaderMap().containsKey(column)) {
                    throw new DataFormatException(file, 1, column, "header lacks this column; expected text,label");
                }
            }
            for (CSVRecord r : parser) {
                if (!r.isConsistent()) {
                    throw new DataFormatException(file, r.getParser().getCurrentLineNumber(), null,
                            "expected " + parser.getHeaderMap().size() + " fields, found " + r.size());
                }
                String text = r.get("text");
                String label = r.get("label").strip();
                if (label.isEmpty()) {
                    throw new DataFormatException(file, r.getParser().getCurrentLineNumber(), "label", "empty label");
                }
                rows.add(new LabelledText(text, label));
            }
        } catch (java.io.UncheckedIOException e) {
            throw new DataFormatException(file, -1, null, "malformed CSV: " + e.getCause().getMessage());
        }
        return rows;
    }
}
