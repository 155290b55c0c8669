package dev.steward.usage;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What a write of usage stored, gathered as its rows pass, so that the rows derived from usage_daily are brought up to
 * date without reading the written rows back: the values by account and month (folded into {@code usage_month} by
 * {@link UsageMonths#fold}, which empties them), and the first and last day per account and per metric (writes only
 * add days, so these widen {@code usage_account} and {@code usage_metric_span}).
 */
final class WrittenUsage {

    /** An account's calendar month, by the epoch day of its first day. */
    record AccountMonth(UUID account, long month) {}

    private final Map<AccountMonth, Map<String, double[]>> months = new HashMap<>();
    private final Map<UUID, long[]> accounts = new HashMap<>();
    private final Map<String, long[]> metrics = new HashMap<>();
    private int metricMonths;

    void add(UUID account, String metric, LocalDate day, double value) {
        add(account, metric, day.toEpochDay(), value);
    }

    void add(UUID account, String metric, long epochDay, double value) {
        LocalDate day = LocalDate.ofEpochDay(epochDay);
        Map<String, double[]> month = months.computeIfAbsent(
                new AccountMonth(account, epochDay - day.getDayOfMonth() + 1), k -> new TreeMap<>());
        double[] values = month.get(metric);
        if (values == null) {
            values = MonthBlocks.empty();
            month.put(metric, values);
            metricMonths++;
        }
        values[day.getDayOfMonth() - 1] = value;
        widen(accounts.computeIfAbsent(account, k -> none()), epochDay);
        widen(metrics.computeIfAbsent(metric, k -> none()), epochDay);
    }

    boolean isEmpty() {
        return accounts.isEmpty();
    }

    /** The accounts written to. */
    Set<UUID> accounts() {
        return new HashSet<>(accounts.keySet());
    }

    /** How many metrics' months hold values not folded yet (each is 31 values in memory). */
    int pendingMetricMonths() {
        return metricMonths;
    }

    /** The values not folded yet, by account and month. */
    Map<AccountMonth, Map<String, double[]>> pending() {
        return months;
    }

    void folded() {
        months.clear();
        metricMonths = 0;
    }

    /** First and last epoch day per account. */
    Map<UUID, long[]> byAccount() {
        return accounts;
    }

    /** First and last epoch day per metric. */
    Map<String, long[]> byMetric() {
        return metrics;
    }

    private static long[] none() {
        return new long[] {Long.MAX_VALUE, Long.MIN_VALUE};
    }

    private static void widen(long[] span, long epochDay) {
        span[0] = Math.min(span[0], epochDay);
        span[1] = Math.max(span[1], epochDay);
    }
}
