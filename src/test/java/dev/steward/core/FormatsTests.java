package dev.steward.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class FormatsTests {

    private final Formats formats = new Formats(Clock.fixed(Instant.parse("2026-12-06T08:00:00Z"), ZoneId.of("UTC")));

    @Test
    void daysAndTimesReadTheSameEverywhere() {
        assertThat(formats.day(LocalDate.parse("2026-03-01"))).isEqualTo("1 Mar 2026");
        assertThat(formats.day(Instant.parse("2026-03-01T23:30:00Z"))).isEqualTo("1 Mar 2026");
        assertThat(formats.time(Instant.parse("2026-03-01T09:05:59Z"))).isEqualTo("1 Mar 2026 09:05");
        assertThat(formats.month(LocalDate.parse("2026-03-01"))).isEqualTo("Mar 2026");
        assertThat(formats.day(null)).isEqualTo("—");
    }

    @Test
    void instantsAreWrittenInStewardsTimeZone() {
        Formats berlin = new Formats(Clock.system(ZoneId.of("Europe/Berlin")));
        assertThat(berlin.time(Instant.parse("2026-03-01T23:30:00Z"))).isEqualTo("2 Mar 2026 00:30");
    }

    @Test
    void numbersAreGroupedAndRoundedOneWay() {
        assertThat(formats.money(new BigDecimal("1234567.0"))).isEqualTo("$1,234,567");
        assertThat(formats.money(1234.5)).isEqualTo("$1,235");
        assertThat(formats.money(new BigDecimal("-2500"))).isEqualTo("-$2,500");
        assertThat(formats.count(2000L)).isEqualTo("2,000");
        assertThat(formats.score(72.25f)).isEqualTo("72.3");
        assertThat(formats.score(55)).isEqualTo("55.0");
        assertThat(formats.change(2.0)).isEqualTo("+2.0");
        assertThat(formats.change(-3.45)).isEqualTo("-3.5");
        assertThat(formats.change(0.0)).isEqualTo("0.0");
        assertThat(formats.percent(0.424)).isEqualTo("42%");
        assertThat(formats.percentToTenth(0.4231)).isEqualTo("42.3%");
        assertThat(formats.percentToTenth(1)).isEqualTo("100.0%");
        assertThat(formats.ratio(0.81234)).isEqualTo("0.812");
        assertThat(formats.ratio(null)).isEqualTo("—");
        assertThat(formats.money(null)).isEqualTo("—");
    }
}
