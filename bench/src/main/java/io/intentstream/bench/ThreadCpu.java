package io.intentstream.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * CPU time of this process's threads, from Linux's {@code /proc/self/task}, summed into named
 * groups: it shows where the cores went during a measured phase (the encoder's threads, the JIT,
 * the garbage collector, the in-process broker, ...). Native threads (PyTorch's OpenMP workers,
 * RocksDB's) are included, which a {@code ThreadMXBean} would miss; a thread that ended between two
 * snapshots is not. Empty on other systems.
 */
final class ThreadCpu {

    private static final Path TASKS = Path.of("/proc/self/task");
    private static final Path MACHINE = Path.of("/proc/stat");
    // Clock ticks per second of /proc's utime and stime; 100 on every Linux this runs on.
    private static final double TICKS_PER_SECOND = 100.0;

    private final Map<String, Long> ticksByThread;
    private final long machineBusyTicks;
    private final long nanos;

    private ThreadCpu(Map<String, Long> ticksByThread, long machineBusyTicks, long nanos) {
        this.ticksByThread = ticksByThread;
        this.machineBusyTicks = machineBusyTicks;
        this.nanos = nanos;
    }

    static ThreadCpu now() {
        Map<String, Long> ticks = new HashMap<>();
        if (Files.isDirectory(TASKS)) {
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
                for (Path task : tasks) {
                    readTask(task, ticks);
                }
            } catch (IOException e) {
                // A process without /proc access: report nothing rather than fail the benchmark.
            }
        }
        return new ThreadCpu(ticks, machineBusyTicks(), System.nanoTime());
    }

    /**
     * Busy ticks of all cores, by all processes: the first line of /proc/stat less idle and iowait.
     */
    private static long machineBusyTicks() {
        try {
            String[] f = Files.readAllLines(MACHINE).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * Cores busy on the whole machine (every process) between {@code earlier} and this snapshot.
     */
    double machineCoresSince(ThreadCpu earlier) {
        return (machineBusyTicks - earlier.machineBusyTicks)
                / TICKS_PER_SECOND
                / ((nanos - earlier.nanos) / 1e9);
    }

    private static void readTask(Path task, Map<String, Long> ticks) {
        try {
            String stat = Files.readString(task.resolve("stat"));
            String name = Files.readString(task.resolve("comm")).trim();
            // Fields after the parenthesised command name: state is the first, utime the 12th,
            // stime the 13th.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks.put(
                    task.getFileName() + " " + name,
                    Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
        } catch (IOException | RuntimeException e) {
            // The thread ended between listing and reading.
        }
    }

    /**
     * Share of a core each group used between {@code earlier} and this snapshot, listed in the
     * order of {@code groups}; {@code groupOfName} maps a thread's Linux name to its group.
     */
    Map<String, Double> coresSince(
            ThreadCpu earlier, List<String> groups, Function<String, String> groupOfName) {
        Map<String, Double> cores = new LinkedHashMap<>();
        groups.forEach(g -> cores.put(g, 0.0));
        double seconds = (nanos - earlier.nanos) / 1e9;
        ticksByThread.forEach(
                (thread, ticks) -> {
                    long delta = ticks - earlier.ticksByThread.getOrDefault(thread, 0L);
                    if (delta > 0) {
                        String name = thread.substring(thread.indexOf(' ') + 1);
                        cores.merge(
                                groupOfName.apply(name),
                                delta / TICKS_PER_SECOND / seconds,
                                Double::sum);
                    }
                });
        return cores;
    }
}
