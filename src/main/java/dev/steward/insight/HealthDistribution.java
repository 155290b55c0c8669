package dev.steward.insight;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The customers' health over time, by count and by ARR, per color. A customer on a day is an account with ARR on it;
 * its color is the one last stored in the {@code staleDays} days up to the day, and Black when none was: not knowing is
 * shown, never counted as Green. On a day no account at all was scored in those days (before the history of scores
 * began, or while scoring stood still) the colors are not known: {@code scored} is false and every count and ARR per
 * color is {@code null} (no data), while the customers and their ARR still are.
 */
public record HealthDistribution(int staleDays, List<Point> points) {

    /** The customers of one day, by color ({@code null} per color when the day was not {@code scored}). */
    public record Point(
            LocalDate day,
            long customers,
            @Nullable Long red,
            @Nullable Long yellow,
            @Nullable Long green,
            @Nullable Long black,
            @Nullable BigDecimal redArr,
            @Nullable BigDecimal yellowArr,
            @Nullable BigDecimal greenArr,
            @Nullable BigDecimal blackArr,
            BigDecimal arr,
            boolean scored) {}
}
