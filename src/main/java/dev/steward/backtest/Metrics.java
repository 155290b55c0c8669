package dev.steward.backtest;

import dev.steward.health.Color;
import java.util.List;

/**
 * How well scores foretold churn over one group of (account, as-of day) observations: counts and outcomes per color,
 * and the figures a CS leader judges a score by. A figure that cannot be computed (no churn, no Red) is {@code null}.
 *
 * @param observations scored observations that count (Black ones are listed in {@code colors} but excluded from every
 *     figure)
 * @param churned observations among them whose account churned within the horizon
 * @param baseChurnRate churned ÷ observations
 * @param accuracy Red called churn and Green called retention: (Red that churned + Green that did not) ÷ (Red + Green)
 * @param decidedAccuracy the same over observations whose outcome was decided (churned or renewed) only
 * @param rocAuc chance that a churned observation scored below a retained one, ties counting half
 * @param redPrecision Red that churned ÷ Red
 * @param redRecall Red that churned ÷ churned
 * @param lift Red precision ÷ base churn rate
 * @param greenChurned Green that churned ÷ Green (the seeds' false positive)
 * @param redRenewed Red that renewed ÷ Red (the seeds' false negative)
 */
public record Metrics(
        long observations,
        long churned,
        Double baseChurnRate,
        Double accuracy,
        Double decidedAccuracy,
        Double rocAuc,
        Double redPrecision,
        Double redRecall,
        Double lift,
        Double greenChurned,
        Double redRenewed,
        List<ColorRow> colors,
        List<Band> calibration) {

    /** Observations of one color and what became of them. */
    public record ColorRow(Color color, long accounts, long churned, long renewed, long neither) {}

    /** Observations whose score lies in {@code [from, to)} (the last band includes 100) and how many churned. */
    public record Band(int from, int to, long accounts, long churned, Double churnRate) {}

    /** Accuracy, precision and recall if every score up to the threshold were called churn. */
    public record ThresholdPoint(int threshold, long flagged, Double accuracy, Double precision, Double recall) {}

    /** One point of the ROC curve: calling every score up to {@code score} churn. */
    public record RocPoint(double score, double falsePositiveRate, double truePositiveRate) {}
}
