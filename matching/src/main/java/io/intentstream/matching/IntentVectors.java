package io.intentstream.matching;

import java.util.Objects;

/**
 * One intent's embedded example utterances under one model version.
 *
 * @param intentId the intent
 * @param route where queries of this intent go
 * @param threshold the intent's own minimum score, or null to use the rule's default
 * @param vectors (examples, dimension), unit length
 */
public record IntentVectors(String intentId, String route, Float threshold, float[][] vectors) {

    public IntentVectors {
        Objects.requireNonNull(intentId, "intentId");
        Objects.requireNonNull(vectors, "vectors");
        route = route == null ? "" : route;
    }
}
