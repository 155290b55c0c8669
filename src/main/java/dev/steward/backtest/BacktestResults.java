package dev.steward.backtest;

import dev.steward.core.DataHorizon;
import dev.steward.core.Digests;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * What a backtest found: per horizon, how well the scores foretold churn, overall, per segment and per as-of day, the
 * threshold analysis and ROC curve, and the Green accounts that churned; how early Red warned of churn; and, per
 * scorecard, weights and thresholds learned from the earlier as-of days and judged on the later ones.
 *
 * @param accounts accounts observed on at least one as-of day (customers then, in the segment if one was chosen)
 * @param knownUntil the last day the data that decides churn tells what became of accounts (the latest horizon of the
 *     sources of contracts and churn events, no later than the day of the run); {@code null} in runs from before it
 * @param deciding the horizons of the contracts and churn events, by kind and source
 * @param population a digest of the observed accounts' ids: two runs with the same digest observed the same accounts;
 *     {@code null} in runs from before it was kept
 */
public record BacktestResults(
        List<LocalDate> asOfDates,
        long accounts,
        LocalDate knownUntil,
        List<DataHorizon> deciding,
        List<HorizonResult> horizons,
        LeadTime leadTime,
        List<SegmentLeadTime> leadTimeBySegment,
        List<Suggestion> suggestions,
        String population) {

    /** A digest of a set of account ids, the same whatever their order. */
    static String digest(java.util.Collection<UUID> accounts) {
        String ids = accounts.stream().sorted().map(UUID::toString).collect(java.util.stream.Collectors.joining());
        return Digests.sha256Hex(ids).substring(0, 32);
    }

    /**
     * The results for one horizon, over the as-of days whose horizon lies within the data, overall, per segment and per
     * scorecard (each scorecard's accounts on their own); {@code censored} observations were customers on an as-of day
     * but their sources' data ends before the horizon did, so they are in no figure. {@code missed} lists Green
     * observations that churned one by one (the highest scores first); {@code missedAccounts} gathers them by account
     * ({@code missedAccountsTotal} accounts in all); both {@code null} in runs from before they were kept.
     * {@code splits} has the figures of each segment the run was split by (lifecycle segments, each observation counted
     * in the segments its account was in when its as-of day ended), in the order asked; {@code null} in runs from
     * before runs were split.
     */
    public record HorizonResult(
            int horizonDays,
            List<LocalDate> asOfDates,
            Metrics overall,
            List<SegmentMetrics> segments,
            List<ScorecardMetrics> scorecards,
            Long censored,
            List<Metrics.ThresholdPoint> thresholds,
            List<Metrics.RocPoint> roc,
            List<AsOfMetrics> byAsOf,
            long missedTotal,
            List<MissedAccount> missed,
            Long missedAccountsTotal,
            List<MissedByAccount> missedAccounts,
            List<SegmentMetrics> splits) {}

    /** The figures for one segment (an account tier, or a lifecycle segment the run was split by). */
    public record SegmentMetrics(String segment, Metrics metrics) {}

    /** The figures for the accounts one scorecard scored. */
    public record ScorecardMetrics(String scorecard, Metrics metrics) {}

    /** The headline figures for one as-of day, to see whether the score holds up over time. */
    public record AsOfMetrics(LocalDate asOf, long observations, long churned, Double accuracy, Double rocAuc) {}

    /** A Green account that churned within the horizon: what the score missed. */
    public record MissedAccount(
            UUID account, String name, String segment, LocalDate asOf, double score, LocalDate churnedOn) {}

    /**
     * An account whose Green observations churned within the horizon, gathered: on how many as-of days it was Green
     * before a churn, the first and last of them, its highest score then, and the first and last churn day.
     */
    public record MissedByAccount(
            UUID account,
            String name,
            String segment,
            long asOfDays,
            LocalDate firstAsOf,
            LocalDate lastAsOf,
            double highestScore,
            LocalDate firstChurnedOn,
            LocalDate lastChurnedOn) {}

    /**
     * How early Red warned: churns of observed accounts, how many were Red at the last as-of day before them, and the
     * median days from the start of that Red run to the churn.
     */
    public record LeadTime(int churns, int warned, Double medianDays) {}

    /** The lead time within one segment. */
    public record SegmentLeadTime(String segment, LeadTime leadTime) {}
}
