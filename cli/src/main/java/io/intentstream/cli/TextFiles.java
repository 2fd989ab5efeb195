package io.intentstream.cli;

import io.intentstream.trainer.data.LabelledTextReader;
import io.intentstream.trainer.data.StsReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the texts of a data file for commands that only need sentences: a {@code text,label} CSV
 * (its texts), an STS TSV (both sentences of each pair) or a plain file (one text a line).
 */
public final class TextFiles {

    private TextFiles() {}

    public static List<String> read(Path file, int limit) throws IOException {
        String name = file.getFileName().toString();
        List<String> texts;
        if (name.endsWith(".csv")) {
            texts = LabelledTextReader.read(file).stream().map(t -> t.text()).toList();
        } else if (name.endsWith(".tsv")) {
            texts = new ArrayList<>();
            for (var e : StsReader.read(file, false)) {
                texts.addAll(e.texts());
            }
        } else {
            texts =
                    Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                            .filter(l -> !l.isBlank())
                            .toList();
        }
        return limit > 0 && texts.size() > limit ? texts.subList(0, limit) : texts;
    }
}
