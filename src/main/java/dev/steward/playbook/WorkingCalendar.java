package dev.steward.playbook;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Set;

/**
 * The working calendar SLAs count in: Monday to Friday, less the configured holidays, in the company's time zone. A
 * CTA with an SLA of N business days is due at the end of the Nth working day after the day it was made (the day
 * itself does not count, whatever the hour): made on a Friday with an SLA of 2, it is due at the end of Tuesday.
 */
final class WorkingCalendar {

    private final ZoneId zone;
    private final Set<LocalDate> holidays;

    WorkingCalendar(ZoneId zone, Set<LocalDate> holidays) {
        this.zone = zone;
        this.holidays = Set.copyOf(holidays);
    }

    ZoneId zone() {
        return zone;
    }

    boolean isWorkingDay(LocalDate day) {
        DayOfWeek weekday = day.getDayOfWeek();
        return weekday != DayOfWeek.SATURDAY && weekday != DayOfWeek.SUNDAY && !holidays.contains(day);
    }

    /**
     * The Nth working day after {@code from}; with 0, {@code from} itself when it is a working day, or else the next
     * one.
     */
    LocalDate plusWorkingDays(LocalDate from, int days) {
        if (days < 0) {
            throw new IllegalArgumentException("Working days from now, not before: " + days);
        }
        LocalDate day = from;
        if (days == 0) {
            while (!isWorkingDay(day)) {
                day = day.plusDays(1);
            }
            return day;
        }
        int counted = 0;
        while (counted < days) {
            day = day.plusDays(1);
            if (isWorkingDay(day)) {
                counted++;
            }
        }
        return day;
    }

    /** When something made at {@code from} with {@code days} working days to do it is due: the end of that day. */
    Instant due(Instant from, int days) {
        LocalDate made = from.atZone(zone).toLocalDate();
        return plusWorkingDays(made, days).plusDays(1).atStartOfDay(zone).toInstant();
    }

    /** The company's day at that instant. */
    LocalDate day(Instant at) {
        return at.atZone(zone).toLocalDate();
    }
}
