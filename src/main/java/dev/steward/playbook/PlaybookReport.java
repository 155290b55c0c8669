package dev.steward.playbook;

import java.util.Map;

/**
 * Whether a playbook works: the CTAs it made, closed, within their SLA, the median days to close and the outcomes;
 * and, for the accounts it treated (a CTA) against those it held back (control), churn and health change after 30 and
 * 90 days, each with a 95% confidence interval of the difference — or "inconclusive" when the groups are too small or
 * too recent to tell.
 */
public record PlaybookReport(
        String playbook,
        long fired,
        long ctas,
        long closed,
        long open,
        long overdue,
        Long slaMet,
        Double slaMetShare,
        Double medianDaysToClose,
        Map<String, Long> outcomes,
        Comparison churn90,
        Comparison healthChange30,
        Comparison healthChange90) {

    /**
     * Treated against control on one measure: each group's size and value (a rate or a mean), the difference (treated
     * less control) with its 95% interval, and a verdict: {@code better}, {@code worse}, or {@code inconclusive} with
     * the reason.
     */
    public record Comparison(
            String measure,
            long treated,
            Double treatedValue,
            long control,
            Double controlValue,
            Double difference,
            Double low,
            Double high,
            String verdict,
            String reason) {}
}
