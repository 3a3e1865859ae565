package dev.shopsearch.service.suggest;

import java.util.List;

/**
 * Result of {@code GET /v1/suggest}.
 *
 * @param query the prefix as received (trimmed)
 * @param suggestions completions, most products first
 * @param indexGeneration the index generation that answered
 * @param millis time spent in the service
 */
public record SuggestResponse(
    String query, List<Suggestion> suggestions, long indexGeneration, double millis) {}
