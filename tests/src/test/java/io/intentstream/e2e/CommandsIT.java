package io.intentstream.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.intentstream.avro.IntentDefinition;
import io.intentstream.cli.IntentStreamCli;
import io.intentstream.local.service.DemoCatalog;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The launcher's service commands as a user runs them: each starts its own in-process broker (no
 * bootstrap.servers configured), so this class runs one broker at a time.
 */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CommandsIT {

    @TempDir Path dir;

    @Test
    void shouldPrintAnOutcomeForEverySampleQueryWhenRunningTheDemo() {
        Run run =
                execute(
                        "demo",
                        "--exit-when-done",
                        "--interval-ms",
                        "0",
                        "--set",
                        "http.port=-1",
                        "--set",
                        "streams.state.dir=" + dir.resolve("state"));
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(
                run.output()
                        .contains(
                                "all "
                                        + DemoCatalog.sampleQueries().size()
                                        + " sample queries answered"),
                run.output());
        assertTrue(
                run.output().matches("(?s).*MATCHED\\s+password_reset\\s+identity.*"),
                run.output());
        assertTrue(
                run.output().matches("(?s).*FALLBACK.*how many moons does Jupiter have.*"),
                run.output());
    }

    @Test
    void shouldChooseWhatTheOfflineEvaluationChoosesWhenFallbackIsOff() throws IOException {
        Path catalog = writeCatalog();
        Path queries =
                write(
                        "queries.csv",
                        List.of(
                                "I forgot my password,password_reset",
                                "my parcel is late,shipping_delay",
                                "you billed me twice,double_charge",
                                "the app closes immediately,app_crash",
                                "please cancel my plan,cancel_subscription",
                                "what is the capital of Peru,oos"));
        Run run =
                execute(
                        "backtest",
                        "--catalog",
                        catalog.toString(),
                        "--queries",
                        queries.toString(),
                        "--fallback",
                        "off",
                        "--compare-offline",
                        "--device",
                        "cpu");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(
                run.output()
                        .contains("queries where stream and offline choose differently: 0 of 6"),
                run.output());
        assertEquals(
                percent(run.output(), "stream\\s+accuracy"),
                percent(run.output(), "offline nearest-neighbour accuracy"),
                run.output());
        assertEquals(0.0, percent(run.output(), "fallback rate"), run.output());
    }

    @Test
    void shouldFallBackOnOutOfScopeQueriesWhenThresholdsAreFittedOnValidation() throws IOException {
        Path catalog = writeCatalog();
        Path validation =
                write(
                        "validation.csv",
                        List.of(
                                "I can't log in because I forgot my password,password_reset",
                                "where is my order,shipping_delay",
                                "two charges for one purchase,double_charge",
                                "what's the weather tomorrow,oos",
                                "tell me a joke,oos",
                                "who is the president of France,oos"));
        Path queries =
                write(
                        "queries.csv",
                        List.of(
                                "reset my password please,password_reset",
                                "my delivery has not arrived,shipping_delay",
                                "recommend a good movie,oos",
                                "how tall is Mount Everest,oos"));
        Run run =
                execute(
                        "backtest",
                        "--catalog",
                        catalog.toString(),
                        "--queries",
                        queries.toString(),
                        "--validation",
                        validation.toString(),
                        "--device",
                        "cpu");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("fallback thresholds fitted on"), run.output());
        assertEquals(100.0, percent(run.output(), "oos recall"), run.output());
        assertEquals(50.0, percent(run.output(), "fallback rate"), run.output());
    }

    private Path writeCatalog() throws IOException {
        List<String> rows = new ArrayList<>();
        for (IntentDefinition intent : DemoCatalog.intents()) {
            intent.getExamples()
                    .forEach(
                            e ->
                                    rows.add(
                                            "\""
                                                    + e.toString().replace("\"", "\"\"")
                                                    + "\","
                                                    + intent.getIntentId()));
        }
        return write("catalog.csv", rows);
    }

    private Path write(String name, List<String> rows) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("text,label");
        lines.addAll(rows);
        return Files.write(dir.resolve(name), lines);
    }

    private static double percent(String output, String label) {
        Matcher m = Pattern.compile(label + "\\s+([0-9.]+)").matcher(output);
        assertTrue(m.find(), "no '" + label + "' in: " + output);
        return Double.parseDouble(m.group(1));
    }

    private record Run(int exitCode, String output) {}

    private static Run execute(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = IntentStreamCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        int code = cli.execute(args);
        return new Run(code, out.toString());
    }
}
