package io.intentstream.cli.bench;

import io.intentstream.bench.BenchReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --out FILE}: where a bench command writes its results (JSON with the commit, date and
 * CPU).
 */
public final class BenchOutputOptions {

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description =
                    "Results file (JSON: commit, date, CPU model and AVX-512/AMX flags, settings,"
                        + " figures). Default: target/bench/<benchmark>-<UTC yyyyMMdd-HHmmss>.json"
                        + " under the working directory.")
    Path out;

    /**
     * Writes {@code report} to {@code --out} or its default path, and says where on {@code
     * console}.
     */
    void write(BenchReport report, PrintWriter console) throws IOException {
        Path file =
                report.write(
                        out != null
                                ? out
                                : BenchReport.defaultPath(
                                        report.name(), report.environment().date()));
        console.printf("results written to %s%n", file.toAbsolutePath());
        console.flush();
    }
}
