package dev.steward.playbook;

import java.util.List;
import java.util.UUID;

/**
 * Treated against control: the difference of two rates or two means with its 95% interval (normal approximation,
 * Welch's for means), and a verdict that says "inconclusive" rather than a number that was not measured: when either
 * group has fewer than {@value #MINIMUM} accounts, or the interval includes no difference.
 */
final class Effect {

    static final int MINIMUM = 20;
    private static final double Z = 1.96;

    private Effect() {}

    /** A firing for the report: the account, its day, whether it was held back, its score then. */
    record Sample(UUID account, java.time.LocalDate day, boolean control, Double score) {}

    /**
     * Rates of an outcome: each row is {control (1 or 0), outcome (1 or 0)}. {@code lowerIsBetter}: the outcome is bad
     * (churn).
     */
    static PlaybookReport.Comparison proportions(String measure, List<double[]> rows, boolean lowerIsBetter) {
        long[] n = new long[2];
        long[] k = new long[2];
        for (double[] row : rows) {
            int group = (int) row[0];
            n[group]++;
            k[group] += (long) row[1];
        }
        if (n[0] < MINIMUM || n[1] < MINIMUM) {
            return small(measure, n, n[0] == 0 ? null : (double) k[0] / n[0], n[1] == 0 ? null : (double) k[1] / n[1]);
        }
        double treated = (double) k[0] / n[0];
        double control = (double) k[1] / n[1];
        double se = Math.sqrt(treated * (1 - treated) / n[0] + control * (1 - control) / n[1]);
        return verdict(measure, n, treated, control, se, lowerIsBetter);
    }

    /** Means of a change: each row is {control (1 or 0), value}. Higher is better. */
    static PlaybookReport.Comparison means(String measure, List<double[]> rows) {
        long[] n = new long[2];
        double[] sum = new double[2];
        double[] squares = new double[2];
        for (double[] row : rows) {
            int group = (int) row[0];
            n[group]++;
            sum[group] += row[1];
            squares[group] += row[1] * row[1];
        }
        Double treatedMean = n[0] == 0 ? null : sum[0] / n[0];
        Double controlMean = n[1] == 0 ? null : sum[1] / n[1];
        if (n[0] < MINIMUM || n[1] < MINIMUM) {
            return small(measure, n, treatedMean, controlMean);
        }
        double se = 0;
        for (int g = 0; g < 2; g++) {
            double mean = sum[g] / n[g];
            double variance = (squares[g] - n[g] * mean * mean) / (n[g] - 1);
            se += Math.max(0, variance) / n[g];
        }
        return verdict(measure, n, treatedMean, controlMean, Math.sqrt(se), false);
    }

    private static PlaybookReport.Comparison small(String measure, long[] n, Double treated, Double control) {
        return new PlaybookReport.Comparison(
                measure,
                n[0],
                round(treated),
                n[1],
                round(control),
                null,
                null,
                null,
                "inconclusive",
                n[1] == 0
                        ? "no control group: give the playbook a controlPercent to measure what it changes"
                        : "too few accounts to tell (" + n[0] + " treated, " + n[1] + " control; at least " + MINIMUM
                                + " each, with the time passed)");
    }

    private static PlaybookReport.Comparison verdict(
            String measure, long[] n, double treated, double control, double se, boolean lowerIsBetter) {
        double difference = treated - control;
        double low = difference - Z * se;
        double high = difference + Z * se;
        String verdict;
        String reason;
        if (low <= 0 && high >= 0) {
            verdict = "inconclusive";
            reason = "the 95% interval includes no difference";
        } else {
            boolean lower = high < 0;
            verdict = lower == lowerIsBetter ? "better" : "worse";
            reason = null;
        }
        return new PlaybookReport.Comparison(
                measure,
                n[0],
                round(treated),
                n[1],
                round(control),
                round(difference),
                round(low),
                round(high),
                verdict,
                reason);
    }

    private static Double round(Double value) {
        return value == null ? null : Math.round(value * 10_000) / 10_000.0;
    }
}
