package dev.steward.health.engine;

import dev.steward.health.PercentileTable;
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

    private AccountMeasures(Map<String, Double> values, Map<String, PercentileTable> segments) {
        this.values = Map.copyOf(values);
        this.segments = Map.copyOf(segments);
    }

    public static AccountMeasures none() {
        return new AccountMeasures(Map.of(), Map.of());
    }

    /** These measures with one more value; a value must be finite, since "no data" is expressed by leaving it out. */
    public AccountMeasures with(String measure, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(measure + " must be finite, was " + value);
        }
        Map<String, Double> more = new HashMap<>(values);
        more.put(measure, value);
        return new AccountMeasures(more, segments);
    }

    /** These measures with the segment's distribution for a measure scored by percentile. */
    public AccountMeasures withSegment(String measure, PercentileTable distribution) {
        Map<String, PercentileTable> more = new HashMap<>(segments);
        more.put(measure, distribution);
        return new AccountMeasures(values, more);
    }

    public OptionalDouble value(String measure) {
        Double value = values.get(measure);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    public Optional<PercentileTable> segment(String measure) {
        return Optional.ofNullable(segments.get(measure));
    }
}
