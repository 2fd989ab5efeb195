package io.intentstream.trainer.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.intentstream.encoder.DjlSentenceEncoder;
import io.intentstream.encoder.ModelDirectory;
import io.intentstream.encoder.ModelLoader;
import io.intentstream.encoder.ModelManifest;
import io.intentstream.encoder.SentenceModel;
import io.intentstream.trainer.data.InputExample;
import io.intentstream.trainer.evaluation.EmbeddingSimilarityEvaluator;
import io.intentstream.trainer.evaluation.Vectors;
import io.intentstream.trainer.losses.CosineSimilarityLoss;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tiny fits of the real default model. The model is loaded once; before each test its pristine
 * weights are copied back in place.
 */
class TrainerTest {

    private static final List<InputExample> PAIRS =
            List.of(
                    InputExample.pair(
                            "A man is playing a guitar.", "A man plays the guitar.", 0.95f),
                    InputExample.pair(
                            "A woman is slicing an onion.", "A woman cuts an onion.", 0.9f),
                    InputExample.pair("A dog runs in the park.", "A cat sleeps on the sofa.", 0.1f),
                    InputExample.pair(
                            "The stock market fell today.", "A child is riding a bike.", 0.0f),
                    InputExample.pair("Two men are fighting.", "Two men are boxing.", 0.7f),
                    InputExample.pair("A plane is taking off.", "An airplane departs.", 0.85f),
                    InputExample.pair("The girl is singing.", "The boy is cooking.", 0.15f),
                    InputExample.pair("It is raining outside.", "The weather is wet.", 0.6f));
    private static final List<String> PROBES =
            List.of("How do I reset my card PIN?", "A man plays the guitar.");

    private static SentenceModel model;
    private static Path pristine;

    @TempDir Path tmp;

    @BeforeAll
    static void loadModel(@TempDir Path dir) throws IOException {
        model = ModelLoader.load("default", Device.cpu());
        pristine = dir.resolve("pristine");
        new ModelDirectory().save(model, model.manifest(), pristine);
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    @BeforeEach
    void restorePristineWeights() throws IOException {
        Trainer.copyInto(
                model.block().namedParameters(), pristine.resolve(ModelDirectory.WEIGHTS_FILE), "");
    }

    private static TrainingArguments.Builder tiny(Path out) {
        return TrainingArguments.builder()
                .setOutputDir(out)
                .optBatchSize(4)
                .optLearningRate(1e-4f)
                .optWarmupSteps(1)
                .optLoggingSteps(1)
                .optCheckpointSteps(0);
    }

    /** CosineSimilarityLoss over all the pairs, from inference vectors (no dropout). */
    private static double inferenceLoss(SentenceModel m, List<InputExample> pairs) {
        try (DjlSentenceEncoder encoder = new DjlSentenceEncoder(m)) {
            double sum = 0;
            for (InputExample e : pairs) {
                float[][] v = encoder.encode(e.texts());
                double error = Vectors.dot(v[0], v[1]) - e.label();
                sum += error * error;
            }
            return sum / pairs.size();
        }
    }

    private static float[][] encode(SentenceModel m) {
        try (DjlSentenceEncoder encoder = new DjlSentenceEncoder(m)) {
            return encoder.encode(PROBES);
        }
    }

    @Test
    void shouldLowerLossAndReloadToSameMetricWhenTinyFit() throws IOException {
        Path out = tmp.resolve("fit");
        // Scores far from the model's own similarities, so that what changes is learnt, not
        // dropout's noise.
        List<InputExample> reversed =
                PAIRS.stream()
                        .map(e -> InputExample.pair(e.text(0), e.text(1), 1 - e.label()))
                        .toList();
        EmbeddingSimilarityEvaluator evaluator =
                EmbeddingSimilarityEvaluator.fromExamples("tiny", reversed);
        double before = inferenceLoss(model, reversed);
        TrainingResult result =
                new Trainer(
                                model,
                                new CosineSimilarityLoss(),
                                tiny(out).optEpochs(4).build(),
                                evaluator,
                                List.of())
                        .train(new ShuffledBatches(reversed, 4, 42));

        assertEquals(8, result.steps());
        // Measured without dropout: the training steps' own losses carry its noise.
        double after = inferenceLoss(model, reversed);
        assertTrue(
                after < before,
                "the loss on the training pairs should fall, was " + before + ", now " + after);
        double recorded = result.metrics().get("tiny.spearman_cosine");
        try (SentenceModel reloaded = new ModelDirectory().load(out, Device.cpu());
                DjlSentenceEncoder encoder = new DjlSentenceEncoder(reloaded)) {
            assertEquals(recorded, evaluator.evaluate(encoder).primary(), 1e-9);
            ModelManifest manifest = reloaded.manifest();
            assertEquals("fit", manifest.version());
            assertEquals(model.version(), manifest.parentVersion());
            assertEquals(recorded, manifest.metrics().get("tiny.spearman_cosine"), 1e-12);
            assertEquals(
                    ModelDirectory.sha256(out.resolve(ModelDirectory.WEIGHTS_FILE)),
                    manifest.sha256());
        }
    }

    @Test
    void shouldContinueExactlyWhereItStoppedWhenResumedAfterCrash() throws IOException {
        // An uninterrupted run of 3 epochs × 2 steps, checkpointing every 2 steps.
        Path straight = tmp.resolve("straight");
        Steps reference = new Steps();
        new Trainer(
                        model,
                        new CosineSimilarityLoss(),
                        tiny(straight).optEpochs(3).optCheckpointSteps(2).build(),
                        null,
                        List.of(reference))
                .train(new ShuffledBatches(PAIRS, 4, 7));
        float[][] expected = encode(model);
        try (SentenceModel reloaded = new ModelDirectory().load(straight, Device.cpu())) {
            float[][] again = encode(reloaded);
            for (int i = 0; i < expected.length; i++) {
                assertArrayEquals(
                        expected[i],
                        again[i],
                        1e-6f,
                        "save/load changed the vector of " + PROBES.get(i));
            }
        }

        // The same run crashing during step 3, after the checkpoint at step 2; then run again.
        restorePristineWeights();
        Path crashed = tmp.resolve("crashed");
        TrainingArguments args = tiny(crashed).optEpochs(3).optCheckpointSteps(2).build();
        TrainingListener crash =
                new TrainingListener() {
                    @Override
                    public void onStep(StepRecord step) {
                        if (step.step() == 3) {
                            throw new IllegalStateException("simulated crash");
                        }
                    }
                };
        assertThrows(
                IllegalStateException.class,
                () ->
                        new Trainer(model, new CosineSimilarityLoss(), args, null, List.of(crash))
                                .train(new ShuffledBatches(PAIRS, 4, 7)));
        assertEquals(
                crashed.resolve("checkpoints").resolve("checkpoint-2"),
                new Checkpoints(crashed).latest().orElseThrow());

        Steps resumed = new Steps();
        TrainingResult result =
                new Trainer(model, new CosineSimilarityLoss(), args, null, List.of(resumed))
                        .train(new ShuffledBatches(PAIRS, 4, 7));

        assertEquals(6, result.steps());
        assertEquals(4, result.stepsThisRun());
        assertEquals(
                List.of(3L, 4L, 5L, 6L), resumed.records.stream().map(StepRecord::step).toList());
        for (StepRecord r : resumed.records) {
            StepRecord ref = reference.records.get((int) r.step() - 1);
            assertEquals(ref.loss(), r.loss(), 1e-5, "loss at step " + r.step());
            assertEquals(
                    ref.learningRate(),
                    r.learningRate(),
                    1e-12,
                    "learning rate at step " + r.step());
        }
        float[][] actual = encode(model);
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(
                    expected[i], actual[i], 1e-5f, "resumed weights differ for " + PROBES.get(i));
        }
    }
}
