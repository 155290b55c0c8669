package dev.steward.health.engine;

import java.util.List;

/**
 * An account's health under one scorecard, with its explanation: the score (0–100, rounded to one decimal, 0 when no
 * measure had data), its color, the share of the scorecard's weight that had data, why the color is what it is, and the
 * breakdown by dimension and measure.
 */
public record HealthScore(
        String scorecard, double score, Color color, double coverage, String reason, List<DimensionScore> dimensions) {

    public HealthScore {
        dimensions = List.copyOf(dimensions);
    }
}
