package io.intentstream.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadersTest {

    @Test
    void shouldParseQuotedFieldsWhenReadingLabelledCsv(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("x.csv");
        Files.writeString(f, "text,label\n\"Hi, I said \"\"hello\"\"\",greeting\nplain,other\n");
        List<LabelledText> rows = LabelledTextReader.read(f);
        assertEquals(
                List.of(
                        new LabelledText("Hi, I said \"hello\"", "greeting"),
                        new LabelledText("plain", "other")),
                rows);
    }

    @Test
    void shouldNameTheLineWhenACsvRowHasTooFewFields(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("x.csv");
        Files.writeString(f, "text,label\nok,a\nmissing label\n");
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> LabelledTextReader.read(f));
        assertTrue(e.getMessage().contains("x.csv:3"), e.getMessage());
    }

    @Test
    void shouldKeepLeadingQuotesAndNormaliseScoresWhenReadingSts(@TempDir Path dir)
            throws IOException {
        Path f = dir.resolve("s.tsv");
        Files.writeString(f, "sentence1\tsentence2\tscore\n\"Quoted start\tother\t2.5\n");
        List<InputExample> pairs = StsReader.read(f, true);
        assertEquals("\"Quoted start", pairs.get(0).text(0));
        assertEquals(0.5f, pairs.get(0).label());
    }

    @Test
    void shouldNameLineAndColumnWhenAScoreIsNotANumber(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("s.tsv");
        Files.writeString(f, "sentence1\tsentence2\tscore\na\tb\tx\n");
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> StsReader.read(f, false));
        assertTrue(e.getMessage().contains("s.tsv:2 column 'score'"), e.getMessage());
    }

    @Test
    void shouldReadAllOfStsbTestWhenTheSharedFileIsPresent() throws IOException {
        Path f = shared("stsb/test.tsv");
        assertEquals(1379, StsReader.read(f, true).size());
    }

    @Test
    void shouldReadAllOfBanking77TestWhenTheSharedFileIsPresent() throws IOException {
        List<LabelledText> rows = LabelledTextReader.read(shared("banking77/test.csv"));
        assertEquals(3080, rows.size());
        assertEquals(77, new HashSet<>(rows.stream().map(LabelledText::label).toList()).size());
    }

    private static Path shared(String relative) {
        return SharedDatasetFiles.require(relative);
    }
}
