package dev.steward.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.InvalidInputException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportCronTests {

    static final Instant WEDNESDAY = Instant.parse("2026-03-18T10:15:30Z");

    @Test
    void sevenOnMondaysInBerlinStaysSevenAcrossTheChangeToSummerTime() {
        ReportCron cron = ReportCron.parse(" 0 0 7  * * MON ", "Europe/Berlin", WEDNESDAY);

        assertThat(cron.expression()).isEqualTo("0 0 7 * * MON");
        assertThat(cron.next(WEDNESDAY)).isEqualTo(Instant.parse("2026-03-23T06:00:00Z"));
        List<ZonedDateTime> runs = cron.nextRuns(WEDNESDAY, 3);
        assertThat(runs.stream().map(ZonedDateTime::toOffsetDateTime))
                .containsExactly(
                        OffsetDateTime.parse("2026-03-23T07:00+01:00"),
                        OffsetDateTime.parse("2026-03-30T07:00+02:00"),
                        OffsetDateTime.parse("2026-04-06T07:00+02:00"));
    }

    @Test
    void aWrongExpressionAndAnUnknownZoneAreBothNamed() {
        assertThatThrownBy(() -> ReportCron.parse("every monday", "Mars/Olympus", WEDNESDAY))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors())
                                .extracting(dev.steward.core.FieldError::field)
                                .containsExactly("cron", "timeZone"));
    }

    @Test
    void moreThanOnceAnHourIsRefusedEvenWhenOnlySomeRunsAreClose() {
        assertThatThrownBy(() -> ReportCron.parse("0 0,30 9 * * *", "UTC", WEDNESDAY))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("more than once an hour");
        assertThat(ReportCron.parse("0 0 9,17 * * MON-FRI", "UTC", WEDNESDAY).next(WEDNESDAY))
                .isEqualTo(Instant.parse("2026-03-18T17:00:00Z"));
    }
}
