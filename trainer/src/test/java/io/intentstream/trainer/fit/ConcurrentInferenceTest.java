package io.intentstream.trainer.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.intentstream.encoder.DjlSentenceEncoder;
import io.intentstream.encoder.ModelLoader;
import io.intentstream.encoder.SentenceModel;
import io.intentstream.trainer.data.InputExample;
import io.intentstream.trainer.losses.MultipleNegativesRankingLoss;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training while another thread serves another model and collects garbage, as when the trainer runs
 * beside the service in one JVM. Scalars that autograd keeps for backward must outlive a garbage
 * collection in the middle of a step, or gradients turn NaN.
 */
class ConcurrentInferenceTest {

    private static final List<String> QUERIES =
            List.of(
                    "where is my card?",
                    "I was charged twice for one purchase",
                    "how long does a transfer take from the UK to the US?",
                    "pin blocked");

    @TempDir Path tmp;

    @Test
    void shouldKeepEveryGradientFiniteWhileAnotherThreadEncodesAndCollectsGarbage()
            throws Exception {
        List<InputExample> triplets = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            triplets.add(
                    new InputExample(
                            List.of(
                                    "how do I top up card number " + i + " with cash",
                                    "top up by cash or cheque " + i,
                                    "my card payment was declined at shop " + i),
                            null));
        }
        Steps steps = new Steps();
        AtomicLong served = new AtomicLong();
        try (SentenceModel trained = ModelLoader.load("default", Device.cpu());
                SentenceModel serving = ModelLoader.load("default", Device.cpu());
                DjlSentenceEncoder encoder = new DjlSentenceEncoder(serving)) {
            AtomicBoolean done = new AtomicBoolean();
            Thread service =
                    new Thread(
                            () -> {
                                while (!done.get()) {
                                    encoder.encode(QUERIES);
                                    System.gc();
                                    served.incrementAndGet();
                                }
                            },
                            "service");
            service.start();
            try {
                TrainingArguments args =
                        TrainingArguments.builder()
                                .setOutputDir(tmp)
                                .optBatchSize(8)
                                .optLearningRate(2e-5f)
                                .optEpochs(2)
                                .optCheckpointSteps(0)
                                .build();
                new Trainer(trained, new MultipleNegativesRankingLoss(), args, null, List.of(steps))
                        .train(new ShuffledBatches(triplets, 8, 42));
            } finally {
                done.set(true);
                service.join();
            }
        }
        assertTrue(served.get() > 0, "the serving thread ran");
        assertEquals(12, steps.records.size());
        for (StepRecord s : steps.records) {
            assertTrue(
                    Double.isFinite(s.gradNorm()),
                    "step " + s.step() + " had gradient norm " + s.gradNorm());
        }
    }
}
