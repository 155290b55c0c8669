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
 * @param coverage how many accounts lack each measure that gains weight and would turn Black under the suggestion;
 *     {@code null} without a suggestion (and in runs from before it was counted)
 * @param benchmark a logistic regression on the same measures' raw values, fitted and judged on the same observations,
 *     beside the scorecard; {@code null} in runs from before it was computed
 * @param headline the gap to the model in one sentence: what a model on the same data reaches, this suggestion and the
 *     scorecard in force, on the same judged observations; {@code null} without a conclusive benchmark
 * @param caution what a reader must know before trusting the suggestion's figures: a measure that says when an account
 *     can churn (days or months to renewal) carrying a large share of the suggested score; {@code null} when nothing
 *     needs saying (and in runs from before it was said)
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
        String problem,
        Coverage coverage,
        ModelBenchmark benchmark,
        String headline,
        String caution) {

    /** The same suggestion with another document. */
    Suggestion withYaml(String document) {
        return new Suggestion(
                scorecard,
                version,
                horizonDays,
                fitFrom,
                fitTo,
                fitted,
                evaluatedFrom,
                evaluatedTo,
                evaluated,
                objective,
                dimensions,
                measures,
                currentRed,
                currentYellow,
                suggestedRed,
                suggestedYellow,
                before,
                after,
                document,
                problem,
                coverage,
                benchmark,
                headline,
                caution);
    }

    /**
     * What the suggestion would do to the accounts as of the last as-of day it has observations of: Black (too little
     * data) now and under the suggestion, recomputed from the stored measure points with the engine's own arithmetic;
     * and for each measure whose share of the score grows, how many accounts have no data for it and how many of
     * those would turn Black. A suggestion that moves weight to measures many accounts lack lowers their coverage.
     *
     * @param accounts accounts observed that day (an even sample beyond 300,000 observations in all)
     */
    public record Coverage(
            LocalDate asOf, long accounts, long blackNow, long blackSuggested, List<MeasureGap> gaining) {}

    /**
     * A measure whose share of the score grows (its weight times its dimension's, in percent of the score), the
     * accounts without data for it, and how many of them are not Black now but would be under the suggestion.
     */
    public record MeasureGap(
            String dimension, String measure, double shareNow, double shareSuggested, long lacking, long turnBlack) {}

    /** A dimension's weight now and suggested. */
    public record DimensionWeight(String name, int current, int suggested) {}

    /**
     * A measure's weight within its dimension now and suggested, and the fitted change in the log-odds of churn per
     * 100 points (negative: more points, less churn, as a measure should be); {@code leftOut} says why a measure was
     * left out of the fit and weighs 0 (no data, or the same points everywhere), {@code null} when it was fitted.
     *
     * @param ruleNow the measure's rule in force, in words
     * @param ruleSuggested the rule learned from its raw values on the fitted days, in words; {@code null} when the
     *     rule in force is kept
     * @param ruleYaml the learned rule as the document writes it under {@code score:}; {@code null} when kept
     * @param ruleReason why: the churn rate of each step of raw values on the fitted days and its points, or why the
     *     rule in force is kept
     */
    public record MeasureWeight(
            String dimension,
            String name,
            int current,
            int suggested,
            double coefficient,
            String leftOut,
            String ruleNow,
            String ruleSuggested,
            String ruleYaml,
            String ruleReason) {}

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
