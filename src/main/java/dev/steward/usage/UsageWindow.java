package dev.steward.usage;

import java.time.LocalDate;
import java.util.Map;

/**
 * One account's daily usage over a span of days, for scoring: {@code daily.get(metric)[i]} is the value on {@code
 * from.plusDays(i)}, {@code NaN} where none is stored; {@code trackedSince} is the first day the account has any usage
 * at all ({@code null} when it has none), which tells "no use" apart from "no data".
 */
public record UsageWindow(LocalDate from, LocalDate to, LocalDate trackedSince, Map<String, double[]> daily) {

    public UsageWindow {
        daily = Map.copyOf(daily);
    }

    /** The account's values of a metric over the span; all {@code NaN} when it has none stored. */
    public double[] values(String metric) {
        double[] values = daily.get(metric);
        if (values != null) {
            return values;
        }
        double[] none = new double[(int) (to.toEpochDay() - from.toEpochDay() + 1)];
        java.util.Arrays.fill(none, Double.NaN);
        return none;
    }
}
