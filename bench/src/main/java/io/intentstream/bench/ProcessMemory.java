package io.intentstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident set size of this process from Linux's /proc, including native (PyTorch) memory. */
public final class ProcessMemory {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private ProcessMemory() {}

    /** Current RSS in MiB, or -1 where /proc is unavailable. */
    public static double rssMiB() {
        return field("VmRSS:");
    }

    /** Peak RSS in MiB since start or the last {@link #resetPeak()}, or -1. */
    public static double peakRssMiB() {
        return field("VmHWM:");
    }

    /** Resets the peak to the current RSS (Linux: "5" to clear_refs); a no-op where not allowed. */
    public static void resetPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5");
        } catch (IOException | SecurityException e) {
            // The peak then covers the whole run, which only overstates it.
        }
    }

    private static double field(String name) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
