package dev.steward.health.engine;

import java.time.LocalDate;
import java.util.Map;

/**
 * The days on which Steward has data of each kind, across all accounts: for each usage metric and each kind of activity,
 * the first and the last day a fact of it became true. A measure whose window lies mostly after its data's last day has
 * no data (N/A), however quiet the account was: silence after an export's last day is not zero use, and no tickets in
 * a month nobody exported tickets for is not good support.
 *
 * @param metrics per usage metric key
 * @param kinds per kind of activity ({@code ticket}, {@code meeting}, …)
 */
public record DataSpans(Map<String, Span> metrics, Map<String, Span> kinds) {

    /** The first and last day with data. */
    public record Span(LocalDate first, LocalDate last) {

        /** How many days from {@code from} to {@code to} lie within the span. */
        int daysWithin(LocalDate from, LocalDate to) {
            LocalDate start = first.isAfter(from) ? first : from;
            return daysUpTo(start, to);
        }

        /** How many days from {@code from} to {@code to} are on or before the span's last day. */
        int daysUpTo(LocalDate from, LocalDate to) {
            LocalDate end = last.isBefore(to) ? last : to;
            return end.isBefore(from) ? 0 : (int) (end.toEpochDay() - from.toEpochDay() + 1);
        }

        /** The wider span covering both. */
        public Span union(Span other) {
            return other == null
                    ? this
                    : new Span(
                            first.isBefore(other.first) ? first : other.first,
                            last.isAfter(other.last) ? last : other.last);
        }
    }

    public DataSpans {
        metrics = Map.copyOf(metrics);
        kinds = Map.copyOf(kinds);
    }

    /** No data of any kind. */
    public static DataSpans none() {
        return new DataSpans(Map.of(), Map.of());
    }

    /**
     * Whether a window of {@code days} ending on {@code day} has enough data of this span to be read: at least half of
     * its days are on or before the span's last day. Before a span's first day there is nothing to miss (a feature not
     * yet launched was used zero times; support data starts with the first ticket), so only where the data ends counts.
     */
    static boolean covers(Span span, LocalDate day, int days) {
        return span != null && 2 * span.daysUpTo(day.minusDays(days - 1L), day) >= days;
    }
}
