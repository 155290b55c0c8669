package dev.steward.outreach;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The days and hours, in the contact's own time zone, within which a journey may send: from {@code from} (inclusive)
 * to {@code to} (exclusive; {@code 24:00} is the end of the day) on each of {@code days}. A step due outside it goes at
 * the window's next opening, found with the zone's rules, so that daylight saving time moves the opening with the
 * contact's clock.
 */
record SendWindow(Set<DayOfWeek> days, LocalTime from, LocalTime to, boolean untilMidnight) {

    /** Every day, all day: what a journey without a {@code sendWindow} keeps. */
    static final SendWindow ALWAYS =
            new SendWindow(EnumSet.allOf(DayOfWeek.class), LocalTime.MIDNIGHT, LocalTime.MIDNIGHT, true);

    SendWindow {
        days = days.isEmpty() ? EnumSet.allOf(DayOfWeek.class) : EnumSet.copyOf(days);
    }

    boolean always() {
        return days.size() == 7 && from.equals(LocalTime.MIDNIGHT) && untilMidnight;
    }

    /** {@code at} when it is inside the window in that zone, else the window's next opening. */
    Instant nextOpening(Instant at, ZoneId zone) {
        if (always()) {
            return at;
        }
        LocalDate day = at.atZone(zone).toLocalDate();
        for (int i = 0; i <= 7; i++) {
            LocalDate date = day.plusDays(i);
            if (!days.contains(date.getDayOfWeek())) {
                continue;
            }
            // ZonedDateTime.of moves a time that a DST gap skips to just after it, and takes the earlier of a repeat.
            Instant opens = ZonedDateTime.of(date, from, zone).toInstant();
            Instant closes = untilMidnight
                    ? date.plusDays(1).atStartOfDay(zone).toInstant()
                    : ZonedDateTime.of(date, to, zone).toInstant();
            if (at.isBefore(opens)) {
                return opens;
            }
            if (at.isBefore(closes)) {
                return at;
            }
        }
        throw new IllegalStateException("a send window has at least one day");
    }

    /** How the document says it, such as {@code mon–fri 09:00–17:00}. */
    String describe() {
        if (always()) {
            return "any day, any time";
        }
        String named = days.size() == 7
                ? "every day"
                : days.stream()
                        .sorted()
                        .map(d -> d.getDisplayName(TextStyle.SHORT, Locale.ENGLISH)
                                .toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", "));
        return named + " " + from + "–" + (untilMidnight ? "24:00" : to.toString());
    }
}
