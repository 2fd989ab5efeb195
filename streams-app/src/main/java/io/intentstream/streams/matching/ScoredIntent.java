package io.intentstream.streams.matching;

/**
 * An intent and how close a query is to it.
 *
 * @param intentId the intent
 * @param route where queries of this intent go
 * @param score the highest cosine similarity between the query and one of the intent's examples
 * @param threshold the intent's own minimum score, or null
 */
public record ScoredIntent(String intentId, String route, float score, Float threshold) {}
