package dev.steward.usage;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/** An account's daily values of one metric, oldest day first. */
public record UsageSeries(String metric, String unit, List<Point> points) {

    /** The value on one day. */
    public record Point(LocalDate day, BigDecimal value) {}
}
