package dev.steward.health;

import java.util.Map;

/**
 * An account's latest stored score taken apart, as segment conditions read it: the coverage, each dimension's score
 * (0–100, by dimension name; a dimension without data is left out) and each measure's raw value (by measure name; a
 * measure without data is left out), of the scorecard that scored it.
 */
public record HealthBreakdown(double coverage, Map<String, Double> dimensions, Map<String, Double> measures) {

    public HealthBreakdown {
        dimensions = Map.copyOf(dimensions);
        measures = Map.copyOf(measures);
    }
}
