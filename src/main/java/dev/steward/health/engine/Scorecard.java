package dev.steward.health.engine;

import java.util.List;
import java.util.Objects;

/**
 * A scorecard document: which accounts it applies to, how its dimensions and measures are weighted, and where the
 * colors change.
 *
 * <p>Weight totals and names are checked by validation rather than here, so that a draft that breaks them can still be
 * held and shown with its problems.
 */
public record Scorecard(
        String name,
        String appliesTo,
        int priority,
        Thresholds thresholds,
        double minimumCoverage,
        List<Dimension> dimensions) {

    /** Share of the total weight that must have data for a score to count, unless the document says otherwise. */
    public static final double DEFAULT_MINIMUM_COVERAGE = 0.6;

    public Scorecard {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(appliesTo, "appliesTo");
        Objects.requireNonNull(thresholds, "thresholds");
        if (!(minimumCoverage >= 0 && minimumCoverage <= 1)) {
            throw new IllegalArgumentException("minimumCoverage must be between 0 and 1, was " + minimumCoverage);
        }
        dimensions = List.copyOf(dimensions);
    }
}
