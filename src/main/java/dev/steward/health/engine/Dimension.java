package dev.steward.health.engine;

import java.util.List;
import java.util.Objects;

/** A group of measures (Product, Engagement, Support, Financial…) with its weight in percent of the scorecard. */
public record Dimension(String name, int weight, List<Measure> measures) {

    public Dimension {
        Objects.requireNonNull(name, "name");
        measures = List.copyOf(measures);
    }
}
