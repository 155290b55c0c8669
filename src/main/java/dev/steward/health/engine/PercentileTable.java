package dev.steward.health.engine;

import java.util.Arrays;
import java.util.Collection;

/** The values one measure took across the accounts of a segment, for ranking an account among them. */
public final class PercentileTable {

    private final double[] sorted;

    private PercentileTable(double[] sorted) {
        this.sorted = sorted;
    }

    /** A table of the given values; it needs at least one, and all finite. */
    public static PercentileTable of(Collection<Double> values) {
        return of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    public static PercentileTable of(double... values) {
        double[] sorted = values.clone();
        if (sorted.length == 0) {
            throw new IllegalArgumentException("a percentile table needs at least one value");
        }
        for (double value : sorted) {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("percentile values must be finite, found " + value);
            }
        }
        Arrays.sort(sorted);
        return new PercentileTable(sorted);
    }

    public int size() {
        return sorted.length;
    }

    /**
     * The percentile rank of a value, 0–100: the share of the segment below it, counting ties as half below, so equal
     * values share one rank and a segment where everyone is equal puts everyone at 50.
     */
    public double rankOf(double value) {
        int below = firstIndexNotBelow(value);
        int notAbove = firstIndexAbove(value);
        return (below + 0.5 * (notAbove - below)) * 100 / sorted.length;
    }

    private int firstIndexNotBelow(double value) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (sorted[middle] < value) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private int firstIndexAbove(double value) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (sorted[middle] <= value) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }
}
