package io.intentstream.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetrievalDataTest {

    @TempDir Path dir;

    @Test
    void shouldKeepOnlyPositivelyScoredJudgementsWhenQrelsHaveScores() throws IOException {
        Path q = Files.writeString(dir.resolve("q.csv"), "id,text\nq1,lost card\nq2,refund\n");
        Path c =
                Files.writeString(
                        dir.resolve("c.csv"),
                        "id,text\nd1,card lost\nd2,refund please\nd3,other\n");
        Path r =
                Files.writeString(
                        dir.resolve("r.tsv"),
                        "query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td3\t0\nq2\td2\t2\n");
        RetrievalData data = RetrievalData.read(q, c, r);
        assertEquals(List.of("q1", "q2"), List.copyOf(data.queries().keySet()));
        assertEquals(Map.of("q1", Set.of("d1"), "q2", Set.of("d2")), data.relevant());
    }

    @Test
    void shouldNameTheLineWhenAJudgementNamesAnUnknownDocument() throws IOException {
        Path q = Files.writeString(dir.resolve("q.csv"), "id,text\nq1,lost card\n");
        Path c = Files.writeString(dir.resolve("c.csv"), "id,text\nd1,card lost\n");
        Path r = Files.writeString(dir.resolve("r.csv"), "query_id,corpus_id\nq1,d1\nq1,d9\n");
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> RetrievalData.read(q, c, r));
        assertTrue(e.getMessage().contains("r.csv:3 column 'corpus_id'"), e.getMessage());
    }

    @Test
    void shouldRefuseDuplicateIds() throws IOException {
        Path q = Files.writeString(dir.resolve("q.csv"), "id,text\nq1,a\nq1,b\n");
        Path r = Files.writeString(dir.resolve("r.csv"), "query_id,corpus_id\n");
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> RetrievalData.read(q, q, r));
        assertTrue(
                e.getMessage().contains("q.csv:3 column 'id': duplicate id 'q1'"), e.getMessage());
    }

    @Test
    void shouldMakeSameLabelDocumentsRelevantWhenBuiltFromLabelledUtterances() {
        RetrievalData data =
                RetrievalData.fromLabelled(
                        List.of(
                                new LabelledText("where is my card", "card"),
                                new LabelledText("hello", "greeting")),
                        List.of(
                                new LabelledText("card lost", "card"),
                                new LabelledText("refund", "refund"),
                                new LabelledText("card late", "card")));
        assertEquals(Map.of("q0", Set.of("d0", "d2"), "q1", Set.of()), data.relevant());
        assertEquals("refund", data.corpus().get("d1"));
    }
}
