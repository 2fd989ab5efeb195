package io.intentstream.trainer.fit;

/**
 * What one optimisation step did.
 *
 * @param step steps done so far, this one included
 * @param totalSteps steps the run will take
 * @param epoch the epoch (from 0)
 * @param loss this step's loss
 * @param learningRate the rate this step ran at
 * @param gradNorm global gradient norm before clipping
 * @param examples examples in this step's batch
 * @param elapsedNanos time since this run (or resumption) started
 * @param stepsThisRun steps taken since this run (or resumption) started
 */
public record StepRecord(
        long step,
        long totalSteps,
        int epoch,
        float loss,
        float learningRate,
        double gradNorm,
        int examples,
        long elapsedNanos,
        long stepsThisRun) {

    /** Seconds left at the pace of this run so far. */
    public double etaSeconds() {
        return stepsThisRun == 0
                ? Double.NaN
                : elapsedNanos / 1e9 / stepsThisRun * (totalSteps - step);
    }
}
