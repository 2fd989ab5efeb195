package io.intentstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.intentstream.trainer.data.InputExample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class FitCommandTest {

    @TempDir Path tmp;

    private FitCommand parse(String... args) {
        FitCommand command = new FitCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    private Path utterances() throws Exception {
        StringBuilder csv = new StringBuilder("text,label\n");
        for (int label = 0; label < 5; label++) {
            for (int i = 0; i < 4; i++) {
                csv.append("text ")
                        .append(label)
                        .append('.')
                        .append(i)
                        .append(",intent")
                        .append(label)
                        .append('\n');
            }
        }
        csv.append("alone,lonely\n");
        Path file = tmp.resolve("labelled.csv");
        Files.writeString(file, csv);
        return file;
    }

    @Test
    void shouldPairEachUtteranceWithAnotherOfItsLabelWhenLabelled() throws Exception {
        FitCommand fit =
                parse(
                        "--train",
                        utterances().toString(),
                        "--format",
                        "labelled",
                        "--loss",
                        "MultipleNegativesRankingLoss",
                        "--output",
                        tmp.resolve("out").toString());

        List<InputExample> pairs = fit.examples();

        assertEquals(
                20, pairs.size(), "every utterance of a label with two or more is an anchor once");
        for (InputExample p : pairs) {
            assertNotEquals(p.text(0), p.text(1));
            assertEquals(
                    p.text(0).substring(0, 6),
                    p.text(1).substring(0, 6),
                    "same label: " + p.texts());
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"MultipleNegativesRankingLoss", "MultipleNegativesSymmetricRankingLoss"})
    void shouldNeverPutOneLabelTwiceInABatchWhenInBatchNegativesOnLabelledData(String loss)
            throws Exception {
        FitCommand fit =
                parse(
                        "--train",
                        utterances().toString(),
                        "--format",
                        "labelled",
                        "--batch-size",
                        "3",
                        "--loss",
                        loss,
                        "--output",
                        tmp.resolve("out").toString());
        List<InputExample> pairs = fit.examples();

        List<List<InputExample>> batches = fit.batches(pairs).batches(0);

        int seen = 0;
        for (List<InputExample> batch : batches) {
            Set<Float> labels = new HashSet<>();
            batch.forEach(e -> assertTrue(labels.add(e.label()), "label twice in " + batch));
            seen += batch.size();
        }
        assertEquals(pairs.size(), seen, "no example dropped");
        assertEquals(batches, fit.batches(pairs).batches(0), "same seed and epoch, same batches");
        assertNotEquals(batches, fit.batches(pairs).batches(1), "each epoch is shuffled anew");
    }

    @Test
    void shouldDivideScoresByScoreMaxWhenPairsScore() throws Exception {
        Path file = tmp.resolve("sts.tsv");
        Files.writeString(file, "sentence1\tsentence2\tscore\n\"Quoted\tstart\t4.0\nx\ty\t10\n");
        FitCommand fit =
                parse(
                        "--train",
                        file.toString(),
                        "--format",
                        "pairs-score",
                        "--score-max",
                        "10",
                        "--loss",
                        "CosineSimilarityLoss",
                        "--output",
                        tmp.resolve("out").toString());

        List<InputExample> examples = fit.examples();

        assertEquals(List.of(0.4f, 1f), examples.stream().map(InputExample::label).toList());
        assertEquals("\"Quoted", examples.get(0).text(0));
    }
}
