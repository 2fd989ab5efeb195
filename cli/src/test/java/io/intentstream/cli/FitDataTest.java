package io.intentstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.intentstream.trainer.data.DataFormatException;
import io.intentstream.trainer.data.InputExample;
import io.intentstream.trainer.data.LabelledText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FitDataTest {

    @TempDir Path tmp;

    private static List<LabelledText> utterances() {
        List<LabelledText> rows = new ArrayList<>();
        for (int label = 0; label < 5; label++) {
            for (int i = 0; i < 4; i++) {
                rows.add(new LabelledText("text " + label + "." + i, "intent" + label));
            }
        }
        rows.add(new LabelledText("alone", "lonely"));
        return rows;
    }

    @Test
    void shouldPairEachUtteranceWithAnotherOfItsLabelWhenLabelled() {
        List<InputExample> pairs = FitData.sameLabelExamples(utterances(), false, 1);
        assertEquals(20, pairs.size(), "the lone utterance has no positive");
        for (InputExample e : pairs) {
            String anchorLabel = e.text(0).substring(5, 6);
            assertEquals(anchorLabel, e.text(1).substring(5, 6));
            assertTrue(!e.text(0).equals(e.text(1)), "a positive differs from its anchor");
        }
    }

    @Test
    void shouldNeverPutOneLabelTwiceInABatchWhenNoDuplicateBatches() {
        List<InputExample> pairs = FitData.sameLabelExamples(utterances(), false, 1);
        List<List<InputExample>> batches = FitData.noDuplicateLabelBatches(pairs, 3, 9).batches(0);
        int total = 0;
        for (List<InputExample> batch : batches) {
            Set<Float> labels = new HashSet<>();
            batch.forEach(e -> assertTrue(labels.add(e.label()), "label twice in " + batch));
            total += batch.size();
        }
        assertEquals(pairs.size(), total, "every example is batched once");
        assertEquals(batches, FitData.noDuplicateLabelBatches(pairs, 3, 9).batches(0), "same seed and epoch, same batches");
    }

    @Test
    void shouldNameFileLineAndColumnWhenScoreIsNotANumber() throws Exception {
        Path file = tmp.resolve("pairs.csv");
        Files.writeString(file, "sentence1,sentence2,score\na,b,0.5\nc,d,high\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> FitData.read(file, FitData.Format.PAIRS_SCORE, 1f, false, 1));
        assertEquals(file + ":3 column 'score': not a number: 'high'", e.getMessage());
    }

    @Test
    void shouldMapNliLabelsToClassIndicesWhenNli() throws Exception {
        Path file = tmp.resolve("nli.tsv");
        Files.writeString(file, "premise\thypothesis\tlabel\nA man sleeps.\tA person rests.\tentailment\n"
                + "A man sleeps.\tA man runs.\tcontradiction\n");
        List<InputExample> examples = FitData.read(file, FitData.Format.NLI, 1f, false, 1);
        assertEquals(List.of(1f, 0f), examples.stream().map(InputExample::label).toList());
    }

    @Test
    void shouldNormaliseScoresWhenPairsScoreWithScoreMax() throws Exception {
        Path file = tmp.resolve("sts.tsv");
        Files.writeString(file, "sentence1\tsentence2\tscore\n\"Quoted\tstart\t4.0\n");
        List<InputExample> examples = FitData.read(file, FitData.Format.PAIRS_SCORE, 5f, false, 1);
        assertEquals(0.8f, examples.get(0).label(), 1e-6f);
        assertEquals("\"Quoted", examples.get(0).text(0));
    }
}
