package dev.steward.backtest;

import dev.steward.health.engine.Color;
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
 * @param retainAllAccuracy the accuracy of calling every Red and Green observation Green (retained): what accuracy must
 *     beat to mean anything, since at a low churn rate "nobody churns" is right almost always
 * @param verdict whether these observations are enough to judge the score by, and if not why
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
        Double retainAllAccuracy,
        Verdict verdict,
        List<ColorRow> colors,
        List<Band> calibration) {

    /** Fewer observations than this, and no figure is a verdict on the score. */
    public static final int MIN_OBSERVATIONS = 30;

    /** Fewer churned observations than this, and no figure is a verdict on the score. */
    public static final int MIN_CHURNED = 10;

    /** Fewer Red observations than this, and accuracy, precision and recall of Red say little. */
    public static final int MIN_RED = 10;

    /**
     * Whether the figures judge the score: {@code conclusive} only with enough observations, churn and Red; otherwise
     * each reason in words ("no observation was Red: accuracy is only the share of Green that did not churn").
     */
    public record Verdict(boolean conclusive, List<String> reasons) {

        public Verdict {
            reasons = List.copyOf(reasons);
        }

        /** The verdict on observations with these counts. */
        static Verdict of(long observations, long churned, long red) {
            List<String> reasons = new java.util.ArrayList<>();
            if (observations < MIN_OBSERVATIONS) {
                reasons.add("only " + observations + " observations (at least " + MIN_OBSERVATIONS + " are needed)");
            }
            if (churned < MIN_CHURNED) {
                reasons.add(
                        churned == 0
                                ? "no observation churned: there is nothing to foretell"
                                : "only " + churned + " observations churned (at least " + MIN_CHURNED
                                        + " are needed)");
            }
            if (red == 0) {
                reasons.add("no observation was Red: accuracy is only the share of Green that did not churn");
            } else if (red < MIN_RED) {
                reasons.add("only " + red + " observations were Red (at least " + MIN_RED + " are needed)");
            }
            return new Verdict(reasons.isEmpty(), reasons);
        }
    }

    /** Observations of one color and what became of them. */
    public record ColorRow(Color color, long accounts, long churned, long renewed, long neither) {}

    /** Observations whose score lies in {@code [from, to)} (the last band includes 100) and how many churned. */
    public record Band(int from, int to, long accounts, long churned, Double churnRate) {}

    /** Accuracy, precision and recall if every score up to the threshold were called churn. */
    public record ThresholdPoint(int threshold, long flagged, Double accuracy, Double precision, Double recall) {}

    /** One point of the ROC curve: calling every score up to {@code score} churn. */
    public record RocPoint(double score, double falsePositiveRate, double truePositiveRate) {}
}
