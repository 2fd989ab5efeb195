package io.intentstream.trainer.fit;

import java.nio.file.Path;
import java.util.Map;

/**
 * The outcome of a run.
 *
 * @param modelDir where the final model was saved (the best one when there was an evaluator); null
 *     for a run kept in memory
 * @param steps optimisation steps done in all, resumed ones included
 * @param stepsThisRun steps done by this run
 * @param examplesThisRun examples trained on by this run
 * @param trainSeconds wall time of this run, evaluations and checkpoints included
 * @param stepSeconds wall time of this run's training steps alone
 * @param metrics the saved model's evaluation metrics (empty without an evaluator)
 * @param stoppedEarly whether early stopping ended the run
 * @param smoothedLoss the training loss at the end, smoothed over the last steps (an exponential
 *     moving average, weight 0.1 per step); NaN when no step ran
 */
public record TrainingResult(
        Path modelDir,
        long steps,
        long stepsThisRun,
        long examplesThisRun,
        double trainSeconds,
        double stepSeconds,
        Map<String, Double> metrics,
        boolean stoppedEarly,
        double smoothedLoss) {

    /**
     * Training throughput: examples per second of training steps (evaluation and checkpoints
     * excluded).
     */
    public double examplesPerSecond() {
        return stepSeconds > 0 ? examplesThisRun / stepSeconds : Double.NaN;
    }
}
