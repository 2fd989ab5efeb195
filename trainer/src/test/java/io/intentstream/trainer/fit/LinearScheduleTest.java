package io.intentstream.trainer.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LinearScheduleTest {

    @Test
    void shouldRiseLinearlyThenDecayToZeroWhenWarmupGiven() {
        // transformers' get_linear_schedule_with_warmup(warmup 2, total 6) at peak 1:
        // steps 0..5 → 0, 0.5, 1, 0.75, 0.5, 0.25
        LinearSchedule s = new LinearSchedule(1f, 2, 6);
        float[] expected = {0f, 0.5f, 1f, 0.75f, 0.5f, 0.25f};
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], s.at(k), 1e-7, "step " + k);
        }
        assertEquals(0f, s.at(6));
        assertEquals(0f, s.at(100));
    }

    @Test
    void shouldStartAtPeakWhenNoWarmup() {
        LinearSchedule s = new LinearSchedule(2e-5f, 0, 4);
        assertEquals(2e-5f, s.at(0), 1e-12);
        assertEquals(1e-5f, s.at(2), 1e-12);
    }

    @Test
    void shouldRoundWarmupRatioUpWhenComputingWarmupSteps() {
        TrainingArguments args =
                TrainingArguments.builder()
                        .setOutputDir(Path.of("out"))
                        .optWarmupRatio(0.1f)
                        .build();
        assertEquals(36, args.warmupFor(360));
        assertEquals(1, args.warmupFor(5));
        assertEquals(
                7,
                TrainingArguments.builder()
                        .setOutputDir(Path.of("out"))
                        .optWarmupSteps(7)
                        .build()
                        .warmupFor(360));
    }

    @Test
    void shouldExplainWhatToFixWhenArgumentsInvalid() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                TrainingArguments.builder()
                                        .setOutputDir(Path.of("out"))
                                        .optBatchSize(0)
                                        .build());
        assertEquals("batch size must be at least 1, got 0", e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> TrainingArguments.builder().optMaxSteps(0).build());
        assertFalse(
                TrainingArguments.builder().build().persistent(),
                "without an output directory a run stays in memory");
        assertTrue(TrainingArguments.builder().setOutputDir(Path.of("out")).build().persistent());
    }

    @Test
    void shouldApplySentenceTransformersDefaultsWhenNothingSet() {
        TrainingArguments args =
                TrainingArguments.builder().setOutputDir(Path.of("runs", "v2")).build();
        assertEquals(2e-5f, args.learningRate());
        assertEquals(0.01f, args.weightDecay());
        assertEquals(1f, args.maxGradNorm());
        assertEquals("v2", args.modelVersion());
    }
}
