package dev.steward.backtest;

import java.time.LocalDate;
import java.util.List;

/**
 * Weights and thresholds for one scorecard learned from history: fitted (logistic regression on each measure's
 * points against churn within the horizon) on the earlier as-of days, and judged against the scorecard as it is on
 * the later ones it was not fitted on. The figures are computed from the stored measure points; a backtest of the
 * draft made from it gives the exact ones.
 *
 * @param fitted observations fitted on (as-of days from {@code fitFrom} to {@code fitTo}, whose horizon ended
 *     before {@code evaluatedFrom})
 * @param evaluated observations judged on (as-of days from {@code evaluatedFrom} to {@code evaluatedTo})
 * @param objective what the red threshold was chosen to maximise on the fitted days, among those that keep accuracy at
 *     the 70% bar there (the most accurate one when none does)
 */
public record Suggestion(
        String scorecard,
        int version,
        int horizonDays,
        LocalDate fitFrom,
        LocalDate fitTo,
        long fitted,
        LocalDate evaluatedFrom,
        LocalDate evaluatedTo,
        long evaluated,
        String objective,
        List<DimensionWeight> dimensions,
        List<MeasureWeight> measures,
        int currentRed,
        int currentYellow,
        int suggestedRed,
        int suggestedYellow,
        Figures before,
        Figures after,
        String yaml,
        String problem) {

    /** A dimension's weight now and suggested. */
    public record DimensionWeight(String name, int current, int suggested) {}

    /**
     * A measure's weight within its dimension now and suggested, and the fitted change in the log-odds of churn per
     * 100 points (negative: more points, less churn, as a measure should be); {@code leftOut} says why a measure was
     * left out of the fit and weighs 0 (no data, or the same points everywhere), {@code null} when it was fitted.
     */
    public record MeasureWeight(
            String dimension, String name, int current, int suggested, double coefficient, String leftOut) {}

    /** The headline figures on the evaluated days. */
    public record Figures(Double rocAuc, Double accuracy, Double redPrecision, Double redRecall, Double greenChurned) {

        static Figures of(Metrics metrics) {
            return new Figures(
                    metrics.rocAuc(),
                    metrics.accuracy(),
                    metrics.redPrecision(),
                    metrics.redRecall(),
                    metrics.greenChurned());
        }
    }
}
