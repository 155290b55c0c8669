package dev.steward.backtest;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * Who churned over a period, why and at what cost, and which signals moved before they did: for every metric, its
 * value as of each month-start compared between the accounts that churned within the next 90 days and those that did
 * not, within each population (a published scorecard's accounts), ranked by how well it alone separates them.
 *
 * @param knownUntil where the data on contracts and churn ends: month-starts whose 90 days run past it are not read
 * @param dataEnded whether that is before the day of the analysis (an export that ended), rather than today
 * @param scorecard the published scorecard whose accounts were analysed, or {@code null} for all
 * @param segment the segment whose accounts were analysed, or {@code null} for all
 * @param churns churns in the period, each account's churn once however many churn events and contracts it took
 */
public record ChurnAnalysis(
        LocalDate from,
        LocalDate to,
        LocalDate knownUntil,
        boolean dataEnded,
        String scorecard,
        String segment,
        int churns,
        BigDecimal arrLost,
        List<ReasonRow> byReason,
        List<SegmentRow> bySegment,
        List<ReasonRow> byReasonAndSegment,
        List<LocalDate> asOfDates,
        int horizonDays,
        List<Population> populations) {

    /** The signals within one population: the accounts one published scorecard scores (all when none is published). */
    public record Population(String scorecard, long accounts, List<Indicator> indicators) {}

    /** Churns of one reason category (in one segment, or all when {@code segment} is null) and the ARR they lost. */
    public record ReasonRow(String segment, String reason, int churns, BigDecimal arrLost) {}

    /** Churns in one segment and the ARR they lost. */
    public record SegmentRow(String segment, int churns, BigDecimal arrLost) {}

    /**
     * One signal: what it measures, how many observations had a value, its mean among accounts that churned within the
     * horizon and among those that did not, the difference, the effect size (Cohen's d), and its univariate ROC AUC
     * read in the direction that warns ({@code lowerWarns}: lower values went with churn); the measures of published
     * scorecards that use its metric.
     */
    public record Indicator(
            String metric,
            String signal,
            long churnedObservations,
            long retainedObservations,
            Double churnedMean,
            Double retainedMean,
            Double difference,
            Double effectSize,
            Double rocAuc,
            boolean lowerWarns,
            List<String> usedBy) {}
}
