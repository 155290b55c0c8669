package dev.steward.insight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.backtest.Metrics;
import dev.steward.customer.ContractOutcomes.ContractOutcome;
import dev.steward.customer.RenewalOutcome;
import dev.steward.health.engine.Color;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RenewalForecastTests {

    static final YearMonth MONTH = YearMonth.of(2026, 6);
    static final RenewalForecast.Calibration RATES = new RenewalForecast.Calibration(
            UUID.randomUUID(),
            "calibration",
            180,
            null,
            new BigDecimal("0.4000"),
            new BigDecimal("0.7500"),
            new BigDecimal("0.9500"));

    @Test
    void expectedRenewalsAreEachContractsArrTimesTheRateOfItsColorAndBlackIsNeverForecast() {
        RenewalForecast.Upcoming upcoming = RenewalForecast.Upcoming.of(
                MONTH,
                List.of(
                        entry("10000", null, RenewalOutcome.PENDING, Color.RED),
                        entry("20000", null, RenewalOutcome.PENDING, Color.YELLOW),
                        entry("30000", null, RenewalOutcome.PENDING, Color.GREEN),
                        entry("5000", null, RenewalOutcome.PENDING, Color.BLACK),
                        entry("7000", "8000", RenewalOutcome.EXPANDED, Color.GREEN)),
                RATES);

        assertThat(upcoming.contracts()).isEqualTo(5);
        assertThat(upcoming.upForRenewal()).isEqualByComparingTo("72000");
        assertThat(upcoming.green()).isEqualByComparingTo("37000");
        // 10000 × 0.40 + 20000 × 0.75 + 30000 × 0.95 = 4000 + 15000 + 28500
        assertThat(upcoming.expected()).isEqualTo(new BigDecimal("47500.00"));
        assertThat(upcoming.notForecast()).isEqualByComparingTo("5000");
        assertThat(upcoming.renewedEarly()).isEqualByComparingTo("7000");
    }

    @Test
    void withoutABacktestNothingIsForecast() {
        RenewalForecast.Upcoming upcoming = RenewalForecast.Upcoming.of(
                MONTH, List.of(entry("10000", null, RenewalOutcome.PENDING, Color.GREEN)), null);

        assertThat(upcoming.expected()).isNull();
        assertThat(upcoming.notForecast()).isEqualByComparingTo("10000");
    }

    @Test
    void aPastMonthSetsTheForecastBesideWhatBecameOfTheContracts() {
        RenewalForecast.Past past = RenewalForecast.Past.of(
                MONTH,
                List.of(
                        entry("100", "100", RenewalOutcome.RENEWED, Color.GREEN),
                        entry("200", "260", RenewalOutcome.EXPANDED, Color.YELLOW),
                        entry("300", "240", RenewalOutcome.CONTRACTED, Color.RED),
                        entry("400", null, RenewalOutcome.CHURNED, Color.RED)),
                RATES);

        // 100 × 0.95 + 200 × 0.75 + (300 + 400) × 0.40 = 95 + 150 + 280
        assertThat(past.forecast()).isEqualTo(new BigDecimal("525.00"));
        assertThat(past.retained()).isEqualByComparingTo("600");
        assertThat(past.expansion()).isEqualByComparingTo("60");
        assertThat(past.contraction()).isEqualByComparingTo("60");
        assertThat(past.churned()).isEqualByComparingTo("400");
        assertThat(past.renewalArr()).isEqualByComparingTo("600");
    }

    @Test
    void aColorsRateIsRenewedOverRenewedAndChurnedAndAbsentWithoutEither() {
        List<Metrics.ColorRow> colors =
                List.of(new Metrics.ColorRow(Color.RED, 50, 30, 10, 10), new Metrics.ColorRow(Color.GREEN, 9, 0, 0, 9));

        // 10 ÷ (10 + 30)
        assertThat(RenewalForecast.Calibration.rate(colors, Color.RED)).isEqualTo(new BigDecimal("0.2500"));
        assertThat(RenewalForecast.Calibration.rate(colors, Color.GREEN)).isNull();
        assertThat(RenewalForecast.Calibration.rate(colors, Color.YELLOW)).isNull();
    }

    private static RenewalForecast.Entry entry(String arr, String renewal, RenewalOutcome outcome, Color color) {
        return new RenewalForecast.Entry(
                new ContractOutcome(
                        UUID.randomUUID(),
                        UUID.randomUUID(),
                        "test",
                        LocalDate.of(2025, 6, 1),
                        MONTH.atDay(1),
                        new BigDecimal(arr),
                        renewal == null ? null : new BigDecimal(renewal),
                        outcome),
                color);
    }
}
