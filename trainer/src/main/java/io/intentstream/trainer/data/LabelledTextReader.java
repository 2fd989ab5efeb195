package io.intentstream.trainer.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads {@code text,label} tables (UTF-8, a header row naming both columns; RFC 4180 CSV, or
 * tab-separated for a {@code .tsv} file). Empty texts and labels are errors naming line and column.
 */
public final class LabelledTextReader {

    private LabelledTextReader() {}

    public static List<LabelledText> read(Path file) throws IOException {
        return ExampleReader.labelledTexts(file);
    }
}
