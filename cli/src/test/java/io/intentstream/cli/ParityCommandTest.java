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

/** {@code evaluate parity} on the default model: float32 matches ONNX Runtime, int8 visibly does not. */
class ParityCommandTest {

    @TempDir Path dir;

    private record Run(int exitCode, String out) {}

    private static Run run(String... args) {
        CommandLine cli = IntentStreamCli.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(new StringWriter()));
        return new Run(cli.execute(args), out.toString());
    }

    @Test
    void shouldPassInFloat32AndReportTheDistanceOfInt8() throws IOException {
        Path texts = Files.writeString(dir.resolve("texts.txt"), String.join("\n",
                "How do I reset my password?", "My card was charged twice.", "Where is my parcel?",
                "The app crashes when I open the settings page.", "hi") + "\n");

        Run fp32 = run("evaluate", "parity", "--data", texts.toString());
        assertEquals(0, fp32.exitCode(), fp32.out());
        assertTrue(fp32.out().contains("texts 5 "), fp32.out());

        Run int8 = run("evaluate", "parity", "--data", texts.toString(), "--precision", "int8", "--min-cosine", "0.9999999");
        assertEquals(1, int8.exitCode(), "int8 vectors should differ from float32: " + int8.out());
        assertTrue(int8.out().contains("below 0.9999999: "), int8.out());
    }
}
