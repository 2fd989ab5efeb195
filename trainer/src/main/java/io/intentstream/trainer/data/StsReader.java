package io.intentstream.trainer.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads STS sentence pairs with a similarity score: a table with a header naming {@code sentence1},
 * {@code sentence2} and {@code score}. A {@code .tsv} file is split on tabs only, with no quoting:
 * STS-B sentences may begin with a {@code "}.
 */
public final class StsReader {

    /** STS scores run from 0 to 5. */
    public static final float STS_MAX_SCORE = ExampleReader.STS_MAX_SCORE;

    private StsReader() {}

    /**
     * @param normalize divide scores by {@link #STS_MAX_SCORE} (0–5 → 0–1), as
     *     sentence-transformers' STS examples do for CosineSimilarityLoss
     */
    public static List<InputExample> read(Path file, boolean normalize) throws IOException {
        return ExampleReader.pairsWithScore(file, normalize ? STS_MAX_SCORE : 1f);
    }
}
