package dev.steward.outreach;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** Send windows in the contact's own time zone, across weekends and daylight-saving changes. */
class SendWindowTests {

    static final SendWindow WORKING_HOURS = new SendWindow(
            EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(9, 0), LocalTime.of(17, 0), false);
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void aStepDueInsideTheWindowGoesAtOnce() {
        Instant tuesdayNoon = Instant.parse("2026-03-17T11:00:00Z"); // 12:00 in Berlin
        assertThat(WORKING_HOURS.nextOpening(tuesdayNoon, BERLIN)).isEqualTo(tuesdayNoon);
    }

    @Test
    void aStepDueAtTenInTheEveningGoesAtNineTheNextWeekdayInTheContactsZone() {
        // Tuesday 22:00 in New York is Wednesday 02:00 UTC: the opening is Wednesday 09:00 New York, not UTC.
        ZoneId newYork = ZoneId.of("America/New_York");
        assertThat(WORKING_HOURS.nextOpening(Instant.parse("2026-03-18T02:00:00Z"), newYork))
                .isEqualTo(Instant.parse("2026-03-18T13:00:00Z"));
    }

    @Test
    void fridayEveningWaitsForMondayMorningAcrossTheChangeToSummerTime() {
        // Friday 27 March 2026, 22:00 in Berlin (UTC+1); clocks go forward on Sunday 29 March: Monday 09:00 is UTC+2.
        Instant fridayNight = Instant.parse("2026-03-27T21:00:00Z");
        assertThat(WORKING_HOURS.nextOpening(fridayNight, BERLIN)).isEqualTo(Instant.parse("2026-03-30T07:00:00Z"));
    }

    @Test
    void anOpeningInTheHourThatSummerTimeSkipsIsJustAfterIt() {
        SendWindow earlySunday =
                new SendWindow(EnumSet.of(DayOfWeek.SUNDAY), LocalTime.of(2, 30), LocalTime.of(4, 0), false);
        assertThat(earlySunday.nextOpening(Instant.parse("2026-03-28T12:00:00Z"), BERLIN))
                .as("02:30 does not exist on 29 March in Berlin: 03:30 summer time, 01:30 UTC")
                .isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
    }

    @Test
    void aWindowUntilMidnightTakesTheWholeEvening() {
        SendWindow evenings =
                new SendWindow(EnumSet.allOf(DayOfWeek.class), LocalTime.of(18, 0), LocalTime.MIDNIGHT, true);
        Instant lateEvening = Instant.parse("2026-03-17T22:30:00Z"); // 23:30 in Berlin
        assertThat(evenings.nextOpening(lateEvening, BERLIN)).isEqualTo(lateEvening);
        assertThat(evenings.describe()).isEqualTo("every day 18:00–24:00");
        assertThat(SendWindow.ALWAYS.nextOpening(lateEvening, BERLIN)).isEqualTo(lateEvening);
    }
}
