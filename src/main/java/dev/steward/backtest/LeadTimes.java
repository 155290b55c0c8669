package dev.steward.backtest;

import dev.steward.health.engine.Color;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How early the score warned of churn: for each churn, the days from the first as-of day of the unbroken run of Red
 * that led up to it (ending at the last as-of day before the churn) to the churn itself. A churn whose account was not
 * Red at the last as-of day before it was not warned of. Only churns within the days the backtest judges count: after
 * its first as-of day and up to the last day its outcomes are read for (its last as-of day plus its longest horizon, no
 * later than where the data ends). A contract that ends after that may well have been renewed by one the run did not
 * read, and one that runs on past the end of the data has not churned.
 */
final class LeadTimes {

    private final LocalDate after;
    private final LocalDate until;
    private final List<Integer> leads = new ArrayList<>();
    private int unwarned;

    /** Lead times of the churns after {@code after} up to and including {@code until}. */
    LeadTimes(LocalDate after, LocalDate until) {
        this.after = after;
        this.until = until;
    }

    /**
     * Adds one churn of an account given its colors on the as-of days ({@code null} where it was not observed, such as
     * before it was a customer); a churn with no observation before it, or outside the judged days, is left out.
     */
    void add(List<LocalDate> asOfDays, Color[] colors, LocalDate churnedOn) {
        if (!churnedOn.isAfter(after) || churnedOn.isAfter(until)) {
            return;
        }
        Integer lead = leadDays(asOfDays, colors, churnedOn);
        if (lead == null) {
            return;
        }
        if (lead < 0) {
            unwarned++;
        } else {
            leads.add(lead);
        }
    }

    /** Days of warning; -1 when the account was observed but not Red before the churn; {@code null} if unobserved. */
    static Integer leadDays(List<LocalDate> asOfDays, Color[] colors, LocalDate churnedOn) {
        int last = -1;
        for (int i = 0; i < asOfDays.size(); i++) {
            if (asOfDays.get(i).isBefore(churnedOn) && colors[i] != null) {
                last = i;
            }
        }
        if (last < 0) {
            return null;
        }
        if (colors[last] != Color.RED) {
            return -1;
        }
        int first = last;
        while (first > 0 && colors[first - 1] == Color.RED) {
            first--;
        }
        return (int) ChronoUnit.DAYS.between(asOfDays.get(first), churnedOn);
    }

    /** The churns observed, how many were warned of, and the median days of warning among those. */
    BacktestResults.LeadTime summary() {
        List<Integer> sorted = new ArrayList<>(leads);
        Collections.sort(sorted);
        Double median = null;
        int n = sorted.size();
        if (n > 0) {
            median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
        }
        return new BacktestResults.LeadTime(n + unwarned, n, median);
    }
}
