package io.intentstream.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where and on what a benchmark ran, recorded with its figures so that two result files can be
 * compared knowingly: the git commit of the working directory ({@code git rev-parse HEAD}, or
 * {@code unknown} outside a work tree or without git), the date, the CPU model and whether it has
 * AVX-512 and AMX (from Linux's {@code /proc/cpuinfo}, which is what {@code lscpu} reads), and the
 * cores this JVM may use.
 *
 * @param commit the commit hash, or {@code unknown}
 * @param date when the run started
 * @param cpuModel the first {@code model name} of {@code /proc/cpuinfo}, or {@code unknown}
 * @param avx512 whether any CPU flag starts with {@code avx512}
 * @param amx whether any CPU flag starts with {@code amx}
 * @param cores {@link Runtime#availableProcessors()}
 */
public record BenchEnvironment(
        String commit, Instant date, String cpuModel, boolean avx512, boolean amx, int cores) {

    private static final Logger log = LoggerFactory.getLogger(BenchEnvironment.class);
    private static final String UNKNOWN = "unknown";
    private static final Path CPU_INFO = Path.of("/proc/cpuinfo");

    /** This machine and working directory now. */
    public static BenchEnvironment current(Clock clock) {
        List<String> cpuInfo = cpuInfo(CPU_INFO);
        return new BenchEnvironment(
                gitCommit(),
                clock.instant(),
                cpuModel(cpuInfo),
                hasFlag(cpuInfo, "avx512"),
                hasFlag(cpuInfo, "amx"),
                Runtime.getRuntime().availableProcessors());
    }

    /** The first {@code model name} value of {@code /proc/cpuinfo} lines, or {@code unknown}. */
    static String cpuModel(List<String> cpuInfo) {
        return cpuInfo.stream()
                .filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip())
                .findFirst()
                .orElse(UNKNOWN);
    }

    /**
     * Whether the first {@code flags} line of {@code /proc/cpuinfo} has a flag starting with {@code
     * prefix}.
     */
    static boolean hasFlag(List<String> cpuInfo, String prefix) {
        return cpuInfo.stream()
                .filter(l -> l.startsWith("flags"))
                .findFirst()
                .map(
                        l ->
                                Arrays.stream(l.substring(l.indexOf(':') + 1).strip().split("\\s+"))
                                        .anyMatch(f -> f.startsWith(prefix)))
                .orElse(false);
    }

    private static List<String> cpuInfo(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | SecurityException e) {
            log.debug("cannot read {}: {}", file, e.toString());
            return List.of();
        }
    }

    private static String gitCommit() {
        try {
            Process git =
                    new ProcessBuilder("git", "rev-parse", "HEAD")
                            .redirectErrorStream(true)
                            .start();
            String output;
            try (InputStream in = git.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            if (!git.waitFor(10, TimeUnit.SECONDS)) {
                git.destroyForcibly();
                return UNKNOWN;
            }
            return git.exitValue() == 0 && output.matches("[0-9a-f]{40}") ? output : UNKNOWN;
        } catch (IOException e) {
            log.debug("no git commit: {}", e.toString());
            return UNKNOWN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return UNKNOWN;
        }
    }
}
