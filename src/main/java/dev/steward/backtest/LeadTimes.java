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
 * Red at the last as-of day before it was not warned of.
 */
final class LeadTimes {

    private final List<Integer> leads = new ArrayList<>();
    private int unwarned;

    /**
     * Adds one churn of an account given its colors on the as-of days ({@code null} where it was not observed, such as
     * before it was a customer); a churn with no observation before it is left out.
     */
    void add(List<LocalDate> asOfDays, Color[] colors, LocalDate churnedOn) {
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
