package io.intentstream.trainer.evaluation;

import io.intentstream.encoder.SentenceEncoder;

/** Scores an encoder on held-out data, as sentence-transformers' {@code SentenceEvaluator}. */
public interface SentenceEvaluator {

    /** A short name used as the prefix of this evaluator's metrics in logs and manifests. */
    String name();

    EvaluationResult evaluate(SentenceEncoder encoder);
}
