package dev.steward.health.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One account's aggregated value per measure name (a measure without a value had no data) and, for percentile rules,
 * the distribution of that measure in the account's segment.
 */
public final class AccountMeasures {

    private final Map<String, Double> values;
    private final Map<String, PercentileTable> segments;
    private final Map<String, Double> ranks;

    private AccountMeasures(
            Map<String, Double> values, Map<String, PercentileTable> segments, Map<String, Double> ranks) {
        this.values = Map.copyOf(values);
        this.segments = Map.copyOf(segments);
        this.ranks = Map.copyOf(ranks);
    }

    public static AccountMeasures none() {
        return new AccountMeasures(Map.of(), Map.of(), Map.of());
    }

    /** These measures with one more value; a value must be finite, since "no data" is expressed by leaving it out. */
    public AccountMeasures with(String measure, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(measure + " must be finite, was " + value);
        }
        Map<String, Double> more = new HashMap<>(values);
        more.put(measure, value);
        return new AccountMeasures(more, segments, ranks);
    }

    /** These measures with the segment's distribution for a measure scored by percentile. */
    public AccountMeasures withSegment(String measure, PercentileTable distribution) {
        Map<String, PercentileTable> more = new HashMap<>(segments);
        more.put(measure, distribution);
        return new AccountMeasures(values, more, ranks);
    }

    /**
     * These measures with the percentile rank a measure scored by percentile already had, as stored with a score: an
     * explanation rebuilt later shows the rank the account had among its segment then.
     */
    public AccountMeasures withRank(String measure, double rank) {
        Map<String, Double> more = new HashMap<>(ranks);
        more.put(measure, rank);
        return new AccountMeasures(values, segments, more);
    }

    public OptionalDouble rank(String measure) {
        Double rank = ranks.get(measure);
        return rank == null ? OptionalDouble.empty() : OptionalDouble.of(rank);
    }

    public OptionalDouble value(String measure) {
        Double value = values.get(measure);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    public Optional<PercentileTable> segment(String measure) {
        return Optional.ofNullable(segments.get(measure));
    }
}
