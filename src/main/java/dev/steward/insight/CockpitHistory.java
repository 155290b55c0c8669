package dev.steward.insight;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * How a book got where it is: its accounts by stored color each week over the last twelve (today and the same weekday
 * before), and what happened in it over the last seven days.
 */
public record CockpitHistory(LocalDate day, List<Cockpit.Person> owners, List<TrendPoint> trend, List<Event> events) {

    /** On a day, the book's accounts by their stored color then, in accounts and in today's ARR. */
    public record TrendPoint(LocalDate day, List<Cockpit.ColorShare> colors) {}

    /** Something that happened in the book: a color change, a CTA opened or closed, a ticket opened. */
    public record Event(Instant at, String kind, UUID accountId, String accountName, String text, String link) {}
}
