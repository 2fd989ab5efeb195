package io.intentstream.trainer.fit;

import java.nio.file.Path;

/**
 * How to fine-tune, with sentence-transformers' defaults: AdamW at learning rate 2e-5 with weight
 * decay 0.01 (not on biases and LayerNorm), linear warm-up over 10 % of the steps then linear decay
 * to 0, gradients clipped to a global norm of 1, seed 42.
 *
 * @param epochs passes over the training data
 * @param batchSize examples per step
 * @param learningRate peak learning rate
 * @param weightDecay decoupled weight decay of weight matrices and embeddings
 * @param warmupSteps steps of linear warm-up, or −1 to use {@code warmupRatio}
 * @param warmupRatio fraction of all steps spent warming up, used when {@code warmupSteps} is −1
 * @param maxGradNorm global gradient-norm ceiling, or 0 for no clipping
 * @param evalSteps evaluate every this many steps, or 0 for only at each epoch's end
 * @param checkpointSteps checkpoint every this many steps, or 0 for only at each epoch's end
 * @param loggingSteps steps per training-log record and plain progress line
 * @param earlyStoppingPatience stop after this many evaluations without improvement, or 0 never
 * @param maxSteps stop after this many steps in all, or −1 for every epoch in full
 * @param seed seeds everything random in training
 * @param outputDir where the model, checkpoints and training log go; null for a run kept in memory
 *     (no checkpoints, no saved model: the caller saves what it keeps), which needs no evaluator
 * @param modelVersion the version recorded in the saved model's manifest
 */
public record TrainingArguments(
        int epochs,
        int batchSize,
        float learningRate,
        float weightDecay,
        int warmupSteps,
        float warmupRatio,
        float maxGradNorm,
        int evalSteps,
        int checkpointSteps,
        int loggingSteps,
        int earlyStoppingPatience,
        long maxSteps,
        long seed,
        Path outputDir,
        String modelVersion) {

    public TrainingArguments {
        require(epochs >= 1, "epochs must be at least 1, got " + epochs);
        require(batchSize >= 1, "batch size must be at least 1, got " + batchSize);
        require(
                learningRate > 0 && Float.isFinite(learningRate),
                "learning rate must be positive, got " + learningRate);
        require(weightDecay >= 0, "weight decay must not be negative, got " + weightDecay);
        require(
                warmupSteps >= -1,
                "warm-up steps must be ≥ 0 (or −1 to use the ratio), got " + warmupSteps);
        require(
                warmupRatio >= 0 && warmupRatio < 1,
                "warm-up ratio must be in [0, 1), got " + warmupRatio);
        require(
                maxGradNorm >= 0,
                "max grad norm must be ≥ 0 (0 disables clipping), got " + maxGradNorm);
        require(evalSteps >= 0, "eval steps must be ≥ 0 (0: at epoch end only), got " + evalSteps);
        require(
                checkpointSteps >= 0,
                "checkpoint steps must be ≥ 0 (0: at epoch end only), got " + checkpointSteps);
        require(loggingSteps >= 1, "logging steps must be at least 1, got " + loggingSteps);
        require(
                earlyStoppingPatience >= 0,
                "early-stopping patience must be ≥ 0 (0: off), got " + earlyStoppingPatience);
        require(
                maxSteps == -1 || maxSteps >= 1,
                "max steps must be ≥ 1 (or −1 for no limit), got " + maxSteps);
        if ((modelVersion == null || modelVersion.isBlank()) && outputDir != null) {
            modelVersion = outputDir.toAbsolutePath().normalize().getFileName().toString();
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Whether the run writes checkpoints and its model to {@link #outputDir()}. */
    public boolean persistent() {
        return outputDir != null;
    }

    /** Warm-up steps for a run of {@code totalSteps}. */
    public long warmupFor(long totalSteps) {
        return warmupSteps >= 0 ? warmupSteps : (long) Math.ceil(warmupRatio * totalSteps);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code set*} for required values, {@code opt*} for optional ones, as in DJL. */
    public static final class Builder {
        private int epochs = 1;
        private int batchSize = 16;
        private float learningRate = 2e-5f;
        private float weightDecay = 0.01f;
        private int warmupSteps = -1;
        private float warmupRatio = 0.1f;
        private float maxGradNorm = 1f;
        private int evalSteps;
        private int checkpointSteps = 500;
        private int loggingSteps = 50;
        private int earlyStoppingPatience;
        private long maxSteps = -1;
        private long seed = 42;
        private Path outputDir;
        private String modelVersion;

        /** Where the run writes; leave unset (or null) for a run kept in memory. */
        public Builder setOutputDir(Path dir) {
            this.outputDir = dir;
            return this;
        }

        public Builder optEpochs(int n) {
            this.epochs = n;
            return this;
        }

        public Builder optBatchSize(int n) {
            this.batchSize = n;
            return this;
        }

        public Builder optLearningRate(float lr) {
            this.learningRate = lr;
            return this;
        }

        public Builder optWeightDecay(float decay) {
            this.weightDecay = decay;
            return this;
        }

        public Builder optWarmupSteps(int steps) {
            this.warmupSteps = steps;
            return this;
        }

        public Builder optWarmupRatio(float ratio) {
            this.warmupRatio = ratio;
            this.warmupSteps = -1;
            return this;
        }

        public Builder optMaxGradNorm(float norm) {
            this.maxGradNorm = norm;
            return this;
        }

        public Builder optEvalSteps(int steps) {
            this.evalSteps = steps;
            return this;
        }

        public Builder optCheckpointSteps(int steps) {
            this.checkpointSteps = steps;
            return this;
        }

        public Builder optLoggingSteps(int steps) {
            this.loggingSteps = steps;
            return this;
        }

        public Builder optEarlyStoppingPatience(int evaluations) {
            this.earlyStoppingPatience = evaluations;
            return this;
        }

        public Builder optMaxSteps(long steps) {
            this.maxSteps = steps;
            return this;
        }

        public Builder optSeed(long s) {
            this.seed = s;
            return this;
        }

        public Builder optModelVersion(String version) {
            this.modelVersion = version;
            return this;
        }

        public TrainingArguments build() {
            return new TrainingArguments(
                    epochs,
                    batchSize,
                    learningRate,
                    weightDecay,
                    warmupSteps,
                    warmupRatio,
                    maxGradNorm,
                    evalSteps,
                    checkpointSteps,
                    loggingSteps,
                    earlyStoppingPatience,
                    maxSteps,
                    seed,
                    outputDir,
                    modelVersion);
        }
    }
}
