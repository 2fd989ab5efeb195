package io.intentstream.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFormatTest {

    @TempDir Path dir;

    private Path file(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void shouldDivideByFiveWhenPairScoresAreOnTheStsScale() throws IOException {
        Path f = file("p.csv", "sentence1,sentence2,score\na,b,5\nc,d,2.5\n");
        List<InputExample> pairs = DataFormat.PAIRS_SCORE.read(f);
        assertEquals(
                List.of(InputExample.pair("a", "b", 1f), InputExample.pair("c", "d", 0.5f)), pairs);
    }

    @Test
    void shouldKeepScoresWhenTheyAreAlreadyWithinZeroAndOne() throws IOException {
        Path f = file("p.tsv", "score\tsentence2\tsentence1\n0.25\tb\ta\n");
        assertEquals(List.of(InputExample.pair("a", "b", 0.25f)), DataFormat.PAIRS_SCORE.read(f));
    }

    @Test
    void shouldAskForTheScaleWhenAScoreIsAboveFive() throws IOException {
        Path f = file("p.csv", "sentence1,sentence2,score\na,b,1\nc,d,7\n");
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> DataFormat.PAIRS_SCORE.read(f));
        assertTrue(e.getMessage().contains("p.csv:3 column 'score'"), e.getMessage());
        assertEquals(0.7f, ExampleReader.pairsWithScore(f, 10f).get(1).label(), 1e-6);
    }

    @Test
    void shouldNameLineAndColumnWhenABinaryLabelIsNeitherZeroNorOne() throws IOException {
        Path f = file("b.csv", "sentence1,sentence2,label\na,b,1\nc,d,0\ne,f,2\n");
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> DataFormat.PAIRS_BINARY.read(f));
        assertTrue(e.getMessage().contains("b.csv:4 column 'label'"), e.getMessage());
    }

    @Test
    void shouldReadTripletsByColumnName() throws IOException {
        Path f = file("t.csv", "negative,anchor,positive,source\nn,a,p,x\n");
        InputExample t = DataFormat.TRIPLETS.read(f).get(0);
        assertEquals(List.of("a", "p", "n"), t.texts());
        assertNull(t.label());
    }

    @Test
    void shouldAddTheHardNegativeOnlyWhenItsColumnIsFilled() throws IOException {
        Path f = file("ap.csv", "anchor,positive,negative\na,p,n\nb,q,\n");
        List<InputExample> rows = DataFormat.ANCHOR_POSITIVE.read(f);
        assertEquals(List.of("a", "p", "n"), rows.get(0).texts());
        assertEquals(List.of("b", "q"), rows.get(1).texts());
        Path noNegatives = file("ap2.csv", "anchor,positive\na,p\n");
        assertEquals(
                List.of("a", "p"), DataFormat.ANCHOR_POSITIVE.read(noNegatives).get(0).texts());
    }

    @Test
    void shouldMapNliNamesAndIndicesAsSentenceTransformersScriptsDo() throws IOException {
        Path f =
                file(
                        "n.tsv",
                        "premise\thypothesis\tlabel\n"
                                + "a\tb\tcontradiction\n"
                                + "c\td\tEntailment\n"
                                + "e\tf\tneutral\n"
                                + "g\th\t1\n");
        List<Float> labels = DataFormat.NLI.read(f).stream().map(InputExample::label).toList();
        assertEquals(List.of(0f, 1f, 2f, 1f), labels);
        Path bad = file("bad.tsv", "sentence1\tsentence2\tlabel\na\tb\tmaybe\n");
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> DataFormat.NLI.read(bad));
        assertTrue(e.getMessage().contains("bad.tsv:2 column 'label'"), e.getMessage());
    }

    @Test
    void shouldNumberLabelsInSortedOrderWhenReadingLabelledUtterances() throws IOException {
        Path f = file("l.csv", "text,label\nx,zeta\ny,alpha\nz,zeta\n");
        List<InputExample> rows = DataFormat.LABELLED.read(f);
        assertEquals(List.of(1f, 0f, 1f), rows.stream().map(InputExample::label).toList());
        assertEquals(List.of("x"), rows.get(0).texts());
    }

    @Test
    void shouldNameTheMissingColumnWhenTheHeaderLacksIt() throws IOException {
        Path f = file("t.csv", "anchor,positive\na,p\n");
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> DataFormat.TRIPLETS.read(f));
        assertTrue(e.getMessage().contains("t.csv:1 column 'negative'"), e.getMessage());
    }

    @Test
    void shouldReportTheStartLineWhenAQuotedFieldSpansLines() throws IOException {
        Path f = file("t.csv", "anchor,positive,negative\n\"two\nlines\",p,n\na,,n\n");
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> DataFormat.TRIPLETS.read(f));
        assertTrue(
                e.getMessage().contains("t.csv:4 column 'positive': empty text"), e.getMessage());
    }

    @Test
    void shouldNameTheLineWhenTheFileIsNotUtf8() throws IOException {
        Path f = dir.resolve("latin1.csv");
        Files.write(f, "text,label\nok,a\ncaf\u00e9,b\n".getBytes(StandardCharsets.ISO_8859_1));
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> DataFormat.LABELLED.read(f));
        assertTrue(
                e.getMessage().contains("latin1.csv:3") && e.getMessage().contains("UTF-8"),
                e.getMessage());
    }

    @Test
    void shouldIgnoreAByteOrderMarkBeforeTheHeader() throws IOException {
        Path f = file("bom.csv", "\uFEFFtext,label\nhello,greeting\n");
        assertEquals(List.of(new LabelledText("hello", "greeting")), LabelledTextReader.read(f));
    }

    @Test
    void shouldFindFormatsByTheirCommandLineNames() {
        assertEquals(DataFormat.ANCHOR_POSITIVE, DataFormat.fromCliName("anchor-positive"));
        assertEquals(DataFormat.PAIRS_SCORE, DataFormat.fromCliName("PAIRS_SCORE"));
        var e = assertThrows(IllegalArgumentException.class, () -> DataFormat.fromCliName("pairs"));
        assertTrue(
                e.getMessage()
                        .contains(
                                "pairs-score, pairs-binary, triplets, anchor-positive, nli,"
                                        + " labelled"));
    }
}
