package io.intentstream.trainer.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads sentence pairs with a similarity score from a tab-separated file with a header naming
 * {@code sentence1}, {@code sentence2} and {@code score}. Fields are split on tabs only, with no
 * quoting: STS-B sentences may begin with a {@code "}.
 */
public final class StsReader {

    /** STS scores run from 0 to 5. */
    public static final float STS_MAX_SCORE = 5f;

    private StsReader() {}

    /**
     * @param normalize divide scores by {@link #STS_MAX_SCORE} (0–5 → 0–1), as sentence-transformers'
     *     STS examples do for CosineSimilarityLoss
     */
    public static List<InputExample> read(Path file, boolean normalize) throws IOException {
        List<InputExample> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null) {
                throw new DataFormatException(file, 1, null, "empty file");
            }
            List<String> columns = Arrays.asList(header.split("\t", -1));
            int s1 = column(file, columns, "sentence1");
            int s2 = column(file, columns, "sentence2");
            int score = column(file, columns, "score");
            long lineNumber = 1;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lineNumber++;
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != columns.size()) {
                    throw new DataFormatException(file, lineNumber, null,
                            "expected " + columns.size() + " tab-separated fields, found " + f.length);
                }
                float value;
                try {
                    value = Float.parseFloat(f[score]);
                } catch (NumberFormatException e) {
                    throw new DataFormatException(file, lineNumber, "score", "not a number: '" + f[score] + "'");
                }
                out.add(InputExample.pair(f[s1], f[s2], normalize ? value / STS_MAX_SCORE : value));
            }
        }
        return out;
    }

    private static int column(Path file, List<String> columns, String name) throws DataFormatException {
        int i = columns.indexOf(name);
        if (i < 0) {
            throw new DataFormatException(file, 1, name, "header lacks this column; found " + columns);
        }
        return i;
    }
}
