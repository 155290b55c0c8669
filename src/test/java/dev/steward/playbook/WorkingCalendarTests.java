package dev.steward.playbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The working calendar SLAs count in: weekends, holidays, and the company's time zone. */
class WorkingCalendarTests {

    static final LocalDate FRIDAY = LocalDate.of(2026, 12, 4);

    @Test
    void businessDaysSkipWeekends() {
        WorkingCalendar calendar = new WorkingCalendar(ZoneOffset.UTC, Set.of());
        assertThat(calendar.plusWorkingDays(FRIDAY, 1)).isEqualTo(LocalDate.of(2026, 12, 7));
        assertThat(calendar.plusWorkingDays(FRIDAY, 2)).isEqualTo(LocalDate.of(2026, 12, 8));
        assertThat(calendar.plusWorkingDays(FRIDAY, 5)).isEqualTo(LocalDate.of(2026, 12, 11));
        // Saturday counts from the Monday after.
        assertThat(calendar.plusWorkingDays(FRIDAY.plusDays(1), 1)).isEqualTo(LocalDate.of(2026, 12, 7));
        // Zero days: today if it is a working day, else the next.
        assertThat(calendar.plusWorkingDays(FRIDAY, 0)).isEqualTo(FRIDAY);
        assertThat(calendar.plusWorkingDays(FRIDAY.plusDays(2), 0)).isEqualTo(LocalDate.of(2026, 12, 7));
        assertThatThrownBy(() -> calendar.plusWorkingDays(FRIDAY, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void holidaysAreNotWorkingDays() {
        LocalDate christmas = LocalDate.of(2026, 12, 25);
        LocalDate boxingDay = LocalDate.of(2026, 12, 28); // the Monday after, taken as the holiday
        WorkingCalendar calendar = new WorkingCalendar(ZoneOffset.UTC, Set.of(christmas, boxingDay));
        LocalDate thursday = LocalDate.of(2026, 12, 24);
        assertThat(calendar.isWorkingDay(christmas)).isFalse();
        // Thursday + 1 business day: Friday is a holiday, the weekend, Monday a holiday too: Tuesday the 29th.
        assertThat(calendar.plusWorkingDays(thursday, 1)).isEqualTo(LocalDate.of(2026, 12, 29));
        assertThat(calendar.plusWorkingDays(thursday, 2)).isEqualTo(LocalDate.of(2026, 12, 30));
    }

    @Test
    void aCtaIsDueAtTheEndOfItsLastWorkingDayInTheCompanysZone() {
        WorkingCalendar utc = new WorkingCalendar(ZoneOffset.UTC, Set.of());
        // Friday afternoon, an SLA of 2 business days: due at the end of Tuesday.
        Instant fridayAfternoon = Instant.parse("2026-12-04T16:00:00Z");
        assertThat(utc.due(fridayAfternoon, 2)).isEqualTo(Instant.parse("2026-12-09T00:00:00Z"));

        // The same instant is already Saturday in Tokyo: the SLA counts from Monday there and ends Tuesday, Tokyo time.
        WorkingCalendar tokyo = new WorkingCalendar(ZoneId.of("Asia/Tokyo"), Set.of());
        assertThat(tokyo.day(fridayAfternoon)).isEqualTo(LocalDate.of(2026, 12, 5));
        assertThat(tokyo.due(fridayAfternoon, 2)).isEqualTo(Instant.parse("2026-12-08T15:00:00Z"));

        // In New York it is still Friday morning: Monday and Tuesday, ending at midnight New York time.
        WorkingCalendar newYork = new WorkingCalendar(ZoneId.of("America/New_York"), Set.of());
        assertThat(newYork.due(fridayAfternoon, 2)).isEqualTo(Instant.parse("2026-12-09T05:00:00Z"));
    }

    @Test
    void aDaylightSavingChangeDoesNotMoveTheEndOfTheDay() {
        WorkingCalendar berlin = new WorkingCalendar(ZoneId.of("Europe/Berlin"), Set.of());
        // Friday 27 March 2026; clocks go forward on Sunday the 29th. Due at the end of Monday the 30th, CEST.
        assertThat(berlin.due(Instant.parse("2026-03-27T10:00:00Z"), 1))
                .isEqualTo(Instant.parse("2026-03-30T22:00:00Z"));
    }
}
