package dev.steward.health.engine;

/**
 * One measure's part of a health score. {@code weight} is the configured percent of its dimension; {@code nominalWeight}
 * and {@code effectiveWeight} are percent of the whole scorecard before and after the weight of measures and dimensions
 * without data was spread over those with data; {@code contribution} is the points it added to the total and {@code
 * pointsLost} the points it left on the table. Raw value and points are {@code null} when the measure had no data.
 */
public record MeasureScore(
        String name,
        String metric,
        Double rawValue,
        Double points,
        int weight,
        double nominalWeight,
        double effectiveWeight,
        double contribution,
        double pointsLost,
        String why) {

    public boolean hasData() {
        return points != null;
    }
}
