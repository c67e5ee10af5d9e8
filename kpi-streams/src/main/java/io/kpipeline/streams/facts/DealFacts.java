package io.kpipeline.streams.facts;

import io.kpipeline.streams.entity.Touch;

import java.util.List;

/**
 * What an existing deal tells each of its leads: its product (the lead's SQL counts under its first deal's), whether
 * it is won (the won-SQL cohort), and the touchpoints logged on the deal alone (the lead's first meeting counts
 * touchpoints on it and its deals).
 */
public record DealFacts(String dealId, String product, boolean won, List<Touch> touches) {
}
