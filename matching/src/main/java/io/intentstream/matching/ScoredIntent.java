package io.intentstream.matching;

/**
 * An intent and how close a query is to it.
 *
 * @param intentId the intent
 * @param route where queries of this intent go
 * @param score the mean cosine of the query with the intent's closest examples ({@link
 *     IntentScore})
 * @param threshold the intent's own minimum score, or null
 */
public record ScoredIntent(String intentId, String route, float score, Float threshold) {}
