package io.intentstream.trainer.job;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.intentstream.trainer.fit.StepRecord;
import io.intentstream.trainer.publish.ReleaseRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerMetricsFileTest {

    @TempDir Path dir;

    @Test
    void shouldWriteProgressAndLatestReleaseInPrometheusFormatWhenTrainingRunsAndReleases()
            throws Exception {
        AtomicLong stored = new AtomicLong(120);
        TrainerMetricsFile metrics =
                new TrainerMetricsFile(dir.resolve("metrics.prom"), stored::get, () -> 20);
        metrics.onTrainingStart(0, 10);
        metrics.onStep(new StepRecord(4, 10, 0, 0.75f, 1e-5f, 1.0, 32, 4_000_000_000L, 4));
        String during = Files.readString(metrics.file());
        assertTrue(during.contains("intentstream_trainer_training 1\n"), during);
        assertTrue(during.contains("intentstream_trainer_step 4\n"), during);
        assertTrue(during.contains("intentstream_trainer_steps_total 10\n"), during);
        assertTrue(during.contains("intentstream_trainer_loss 0.750000\n"), during);
        assertTrue(during.contains("intentstream_trainer_eta_seconds 6\n"), during);
        assertTrue(during.contains("intentstream_trainer_examples_stored 120\n"), during);
        assertTrue(during.contains("intentstream_trainer_examples_new 20\n"), during);

        metrics.onTrainingEnd(null);
        metrics.releases(
                List.of(
                        new ReleaseRecord(
                                "v2",
                                "base",
                                "file:///m/v2",
                                "ab",
                                Map.of("accuracy", 0.8),
                                Map.of(),
                                null,
                                Map.of(),
                                1_000L,
                                ReleaseRecord.RELEASED,
                                "ok",
                                1L),
                        new ReleaseRecord(
                                "v3",
                                "v2",
                                null,
                                null,
                                Map.of("accuracy", 0.7),
                                Map.of(),
                                null,
                                Map.of(),
                                2_000L,
                                ReleaseRecord.REJECTED,
                                "worse",
                                0L)));
        String after = Files.readString(metrics.file());
        assertTrue(after.contains("intentstream_trainer_training 0\n"), after);
        assertTrue(
                after.contains("intentstream_trainer_runs_total{outcome=\"released\"} 1\n"), after);
        assertTrue(
                after.contains("intentstream_trainer_runs_total{outcome=\"rejected\"} 1\n"), after);
        assertTrue(
                after.contains(
                        "intentstream_trainer_release_info{version=\"v2\",parent=\"base\"} 1\n"),
                after);
        assertTrue(
                after.contains(
                        "intentstream_trainer_release_metric{version=\"v2\",metric=\"accuracy\"}"
                                + " 0.800000\n"),
                after);
        assertFalse(after.contains("v3\""), "a rejected candidate is not the latest release");
        assertFalse(
                Files.exists(dir.resolve("metrics.prom.tmp")),
                "the temporary file is renamed into place");
    }
}
