package io.intentstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The evaluate subcommands: they read their data before loading a model, so bad files fail fast and
 * clearly; parity holds in float32 and shows how far int8 moves the vectors.
 */
class EvaluateCommandTest {

    @TempDir Path dir;

    private record Run(int exitCode, String out, String err) {}

    private static Run run(String... args) {
        CommandLine cli = IntentStreamCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(out));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void shouldNameFileLineAndColumnWhenBinaryLabelsAreNotZeroOrOne() throws IOException {
        Path f =
                Files.writeString(
                        dir.resolve("pairs.csv"), "sentence1,sentence2,label\na,b,1\nc,d,yes\n");
        Run r = run("evaluate", "binary", "--data", f.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("pairs.csv:3 column 'label'"), r.err());
    }

    @Test
    void shouldNameTheQrelsLineWhenItPointsAtAnUnknownQuery() throws IOException {
        Path q = Files.writeString(dir.resolve("q.csv"), "id,text\nq1,lost card\n");
        Path c = Files.writeString(dir.resolve("c.csv"), "id,text\nd1,card lost\n");
        Path r = Files.writeString(dir.resolve("qrels.tsv"), "query_id\tcorpus_id\nq2\td1\n");
        Run run =
                run(
                        "evaluate",
                        "ir",
                        "--queries",
                        q.toString(),
                        "--corpus",
                        c.toString(),
                        "--qrels",
                        r.toString());
        assertEquals(1, run.exitCode());
        assertTrue(
                run.err().contains("qrels.tsv:2 column 'query_id': no query with id 'q2'"),
                run.err());
    }

    @Test
    void shouldRefuseATripletFormatThatHasNoNegatives() throws IOException {
        Path f = Files.writeString(dir.resolve("p.csv"), "sentence1,sentence2,label\na,b,1\n");
        Run r = run("evaluate", "triplet", "--data", f.toString(), "--format", "pairs-binary");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("--format must be triplets or labelled"), r.err());
    }

    @Test
    void shouldPassInFloat32AndReportTheDistanceOfInt8() throws IOException {
        Path texts =
                Files.writeString(
                        dir.resolve("texts.txt"),
                        String.join(
                                        "\n",
                                        "How do I reset my password?",
                                        "My card was charged twice.",
                                        "Where is my parcel?",
                                        "The app crashes when I open the settings page.",
                                        "hi")
                                + "\n");

        Run fp32 = run("evaluate", "parity", "--data", texts.toString());
        assertEquals(0, fp32.exitCode(), fp32.out());
        assertTrue(fp32.out().contains("texts 5 "), fp32.out());

        Run int8 =
                run(
                        "evaluate",
                        "parity",
                        "--data",
                        texts.toString(),
                        "--precision",
                        "int8",
                        "--min-cosine",
                        "0.9999999");
        assertEquals(1, int8.exitCode(), "int8 vectors should differ from float32: " + int8.out());
        assertTrue(int8.out().contains("below 0.9999999: "), int8.out());
    }
}
