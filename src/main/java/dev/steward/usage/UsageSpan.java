package dev.steward.usage;

import java.time.LocalDate;

/**
 * The days from the first to the last on which a metric has a value for any account: within them an account without a
 * value used the metric zero times; outside them nobody knows.
 */
public record UsageSpan(LocalDate first, LocalDate last) {

    public UsageSpan {
        if (last.isBefore(first)) {
            throw new IllegalArgumentException("a span ends (" + last + ") before it begins (" + first + ")");
        }
    }

    /** Whether the span has a day from {@code from} to {@code to}. */
    public boolean overlaps(LocalDate from, LocalDate to) {
        return !first.isAfter(to) && !last.isBefore(from);
    }
}
