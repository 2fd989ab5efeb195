package io.intentstream.trainer.fit;

import io.intentstream.trainer.evaluation.EvaluationResult;

/** Hears what the {@link Trainer} does; every method may be left out. */
public interface TrainingListener {

    default void onTrainingStart(long startStep, long totalSteps) {}

    default void onStep(StepRecord step) {}

    default void onEvaluation(long step, int epoch, EvaluationResult result, boolean best) {}

    default void onCheckpoint(long step, java.nio.file.Path dir) {}

    default void onTrainingEnd(TrainingResult result) {}
}
