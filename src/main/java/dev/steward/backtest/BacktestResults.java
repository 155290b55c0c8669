package dev.steward.backtest;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * What a backtest found: per horizon, how well the scores foretold churn, overall, per segment and per as-of day, the
 * threshold analysis and ROC curve, and the Green accounts that churned; how early Red warned of churn; and, per
 * scorecard, weights and thresholds learned from the earlier as-of days and judged on the later ones.
 *
 * @param accounts accounts observed on at least one as-of day (customers then, in the segment if one was chosen)
 */
public record BacktestResults(
        List<LocalDate> asOfDates,
        long accounts,
        List<HorizonResult> horizons,
        LeadTime leadTime,
        List<SegmentLeadTime> leadTimeBySegment,
        List<Suggestion> suggestions) {

    /** The results for one horizon, over the as-of days whose horizon had passed by the run. */
    public record HorizonResult(
            int horizonDays,
            List<LocalDate> asOfDates,
            Metrics overall,
            List<SegmentMetrics> segments,
            List<Metrics.ThresholdPoint> thresholds,
            List<Metrics.RocPoint> roc,
            List<AsOfMetrics> byAsOf,
            long missedTotal,
            List<MissedAccount> missed) {}

    /** The figures for one segment (account tier). */
    public record SegmentMetrics(String segment, Metrics metrics) {}

    /** The headline figures for one as-of day, to see whether the score holds up over time. */
    public record AsOfMetrics(LocalDate asOf, long observations, long churned, Double accuracy, Double rocAuc) {}

    /** A Green account that churned within the horizon: what the score missed. */
    public record MissedAccount(
            UUID account, String name, String segment, LocalDate asOf, double score, LocalDate churnedOn) {}

    /**
     * How early Red warned: churns of observed accounts, how many were Red at the last as-of day before them, and the
     * median days from the start of that Red run to the churn.
     */
    public record LeadTime(int churns, int warned, Double medianDays) {}

    /** The lead time within one segment. */
    public record SegmentLeadTime(String segment, LeadTime leadTime) {}
}
