package dev.steward.insight;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * The customers' health over time, by count and by ARR, per color. A customer on a day is an account with ARR on it;
 * its color is the one last stored in the {@code staleDays} days up to the day, and Black when none was: not knowing is
 * shown, never counted as Green.
 */
public record HealthDistribution(int staleDays, List<Point> points) {

    /** The customers of one day, by color. */
    public record Point(
            LocalDate day,
            long customers,
            long red,
            long yellow,
            long green,
            long black,
            BigDecimal redArr,
            BigDecimal yellowArr,
            BigDecimal greenArr,
            BigDecimal blackArr,
            BigDecimal arr) {}
}
