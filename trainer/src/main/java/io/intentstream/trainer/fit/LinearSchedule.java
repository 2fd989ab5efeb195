package io.intentstream.trainer.fit;

/**
 * Linear warm-up from 0 to the peak learning rate, then linear decay to 0 at the last step, as
 * transformers' {@code get_linear_schedule_with_warmup} (the sentence-transformers default): the
 * step with index k (from 0) runs at peak·k/warmup during warm-up and at peak·(total − k)/(total −
 * warmup) after it.
 */
public record LinearSchedule(float peak, long warmupSteps, long totalSteps) {

    public LinearSchedule {
        if (warmupSteps < 0 || totalSteps < 1) {
            throw new IllegalArgumentException(
                    "need warmup ≥ 0 and total ≥ 1, got " + warmupSteps + ", " + totalSteps);
        }
    }

    /** The learning rate of the step with index {@code step} (0 for the first step). */
    public float at(long step) {
        if (step < warmupSteps) {
            return peak * step / Math.max(1, warmupSteps);
        }
        return peak
                * Math.max(0f, (float) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
    }
}
