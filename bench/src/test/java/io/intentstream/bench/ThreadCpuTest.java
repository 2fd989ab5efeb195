package io.intentstream.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

    @Test
    void attributesABusyThreadToItsGroupAndASleepingOneToNothing() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux /proc");
        AtomicBoolean stop = new AtomicBoolean();
        Thread spinner =
                new Thread(
                        () -> {
                            long x = 0;
                            while (!stop.get()) {
                                x += System.nanoTime() % 7;
                            }
                            if (x == 42) {
                                System.out.println(x);
                            }
                        },
                        "spinner");
        Thread sleeper =
                new Thread(
                        () -> {
                            try {
                                Thread.sleep(5_000);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "sleeper");
        sleeper.start();
        ThreadCpu start = ThreadCpu.now();
        spinner.start();
        Thread.sleep(1_000);
        ThreadCpu end = ThreadCpu.now();
        stop.set(true);
        spinner.join();
        sleeper.interrupt();

        Map<String, Double> cores =
                end.coresSince(
                        start,
                        List.of("spinner", "sleeper", "other"),
                        name ->
                                name.startsWith("spinner")
                                        ? "spinner"
                                        : name.startsWith("sleeper") ? "sleeper" : "other");

        assertEquals(List.of("spinner", "sleeper", "other"), List.copyOf(cores.keySet()));
        // A busy thread gets most of a core even on a shared machine; /proc counts in 10 ms ticks.
        assertTrue(cores.get("spinner") > 0.3, "spinner: " + cores);
        assertTrue(cores.get("sleeper") < 0.05, "sleeper: " + cores);
        assertTrue(
                end.machineCoresSince(start) >= cores.get("spinner") - 0.05,
                "the machine includes this process");
    }
}
