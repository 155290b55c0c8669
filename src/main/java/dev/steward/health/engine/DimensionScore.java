package dev.steward.health.engine;

import java.util.List;

/**
 * One dimension's part of a health score: its configured weight, the weight it carried after dimensions without data
 * gave theirs away (both in percent of the scorecard), its score ({@code null} when none of its measures had data), the
 * points it added to the total and the points it left on the table.
 */
public record DimensionScore(
        String name,
        int weight,
        double effectiveWeight,
        Double score,
        double contribution,
        double pointsLost,
        List<MeasureScore> measures) {

    public DimensionScore {
        measures = List.copyOf(measures);
    }

    public boolean hasData() {
        return score != null;
    }
}
