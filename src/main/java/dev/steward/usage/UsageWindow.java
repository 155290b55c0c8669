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

    private static final double[] NONE = new double[0];

    /**
     * The account's values of a metric over the span; an empty array when it has none stored (read as {@code NaN}
     * everywhere: index past the end of an array means no value).
     */
    public double[] values(String metric) {
        double[] values = daily.get(metric);
        return values != null ? values : NONE;
    }
}
