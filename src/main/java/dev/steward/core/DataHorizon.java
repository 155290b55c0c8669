package dev.steward.core;

import java.time.LocalDate;

/**
 * Where one kind of data from one source begins and ends: the first and last day a fact of that kind became true (a
 * ticket opened, a contract started, a day of usage), as delivered so far. Past {@code last} Steward does not know what
 * happened; an analysis that needs to know reads that as "no data", never as "nothing happened".
 *
 * @param kind what the facts are, such as {@code tickets}, {@code contracts}, {@code usage}
 * @param source where they came from, such as {@code demo}, {@code stripe:acct_1}, or a usage metric's key
 * @param first the first day with such a fact
 * @param last the last day with such a fact
 */
public record DataHorizon(String kind, String source, LocalDate first, LocalDate last) {

    public DataHorizon {
        if (last.isBefore(first)) {
            throw new IllegalArgumentException("a horizon ends (" + last + ") before it begins (" + first + ")");
        }
    }

    /** This horizon, ending no later than {@code today}: a fact dated in the future has not become true yet. */
    public DataHorizon until(LocalDate today) {
        if (!last.isAfter(today)) {
            return this;
        }
        return new DataHorizon(kind, source, first.isAfter(today) ? today : first, today);
    }
}
