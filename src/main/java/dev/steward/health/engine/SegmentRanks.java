package dev.steward.health.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Percentile measures rank an account within its segment: the accounts the same scorecard scores that day. The
 * distribution of each such measure is built from every scored account's raw value (N/A values left out), and an
 * account's points for it are its percentile rank there ({@link PercentileTable#rankOf}: ties count half).
 */
public final class SegmentRanks {

    /** One account's raw values under its scorecard, measure by measure as the scorecard lists them. */
    public record Values(String scorecard, List<Measure> measures, double[] values) {}

    private SegmentRanks() {}

    /** Each scorecard's distribution of each of its percentile measures, by scorecard name and measure name. */
    public static Map<String, Map<String, PercentileTable>> distributions(Iterable<Values> accounts) {
        Map<String, Map<String, List<Double>>> collected = new HashMap<>();
        for (Values account : accounts) {
            List<Measure> measures = account.measures();
            for (int i = 0; i < measures.size(); i++) {
                if (measures.get(i).score().needsSegment() && !Double.isNaN(account.values()[i])) {
                    collected
                            .computeIfAbsent(account.scorecard(), k -> new HashMap<>())
                            .computeIfAbsent(measures.get(i).name(), k -> new ArrayList<>())
                            .add(account.values()[i]);
                }
            }
        }
        Map<String, Map<String, PercentileTable>> tables = new HashMap<>();
        collected.forEach((scorecard, byMeasure) -> byMeasure.forEach((measure, list) ->
                tables.computeIfAbsent(scorecard, k -> new HashMap<>()).put(measure, PercentileTable.of(list))));
        return tables;
    }

    /**
     * The percentile rank of each of the account's percentile measures in its segment's distribution ({@code NaN} for
     * other measures, N/A values, and measures without a distribution).
     */
    public static double[] ranks(List<Measure> measures, double[] values, Map<String, PercentileTable> segment) {
        double[] ranks = new double[measures.size()];
        Arrays.fill(ranks, Double.NaN);
        for (int i = 0; i < measures.size(); i++) {
            if (Double.isNaN(values[i]) || !measures.get(i).score().needsSegment()) {
                continue;
            }
            PercentileTable table = segment.get(measures.get(i).name());
            if (table != null) {
                ranks[i] = table.rankOf(values[i]);
            }
        }
        return ranks;
    }
}
