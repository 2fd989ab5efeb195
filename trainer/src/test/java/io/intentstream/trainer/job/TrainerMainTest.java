package io.intentstream.trainer.job;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class TrainerMainTest {

    @TempDir Path dir;

    @Test
    void shouldReturnAtOnceWhenNoMarkerFileIsSet() {
        // A pause that held would fail here instead of hanging the suite.
        assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> {
                    TrainerMain.pauseBeforeCommit(null).run();
                    TrainerMain.pauseBeforeCommit(" ").run();
                });
    }

    @Test
    @Timeout(30)
    void shouldWriteTheMarkerAndHoldUntilInterruptedWhenAMarkerFileIsSet() throws Exception {
        Path marker = dir.resolve("marker");
        Thread paused = new Thread(TrainerMain.pauseBeforeCommit(marker.toString()), "paused");
        paused.start();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(marker));
        assertTrue(paused.isAlive(), "the pause ended on its own");
        paused.interrupt();
        paused.join();
    }
}
