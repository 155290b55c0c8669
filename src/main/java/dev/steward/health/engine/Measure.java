package dev.steward.health.engine;

import java.util.Objects;

/**
 * One thing the scorecard looks at: a metric aggregated over a lookback window, its weight in percent of its dimension,
 * and the rule that turns the aggregated value into points.
 */
public record Measure(String name, String metric, Aggregate aggregate, Window window, int weight, ScoreRule score) {

    public Measure {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(aggregate, "aggregate");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(score, "score");
    }
}
