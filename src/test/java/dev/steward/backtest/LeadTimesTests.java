package dev.steward.backtest;

import static dev.steward.health.engine.Color.GREEN;
import static dev.steward.health.engine.Color.RED;
import static dev.steward.health.engine.Color.YELLOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.health.engine.Color;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeadTimesTests {

    private static final List<LocalDate> MONTHS = List.of(
            LocalDate.of(2025, 1, 1), LocalDate.of(2025, 2, 1), LocalDate.of(2025, 3, 1), LocalDate.of(2025, 4, 1));

    @Test
    void leadTimeRunsFromTheStartOfTheRedRunThatEndsBeforeTheChurn() {
        // Red from 1 February to the churn on 15 April: 28 + 31 + 14 days.
        assertThat(LeadTimes.leadDays(MONTHS, new Color[] {GREEN, RED, RED, RED}, LocalDate.of(2025, 4, 15)))
                .isEqualTo(73);
        // Red, then Yellow, then Red again on 1 March: only the last run counts; churn on 20 March.
        assertThat(LeadTimes.leadDays(MONTHS, new Color[] {RED, YELLOW, RED, null}, LocalDate.of(2025, 3, 20)))
                .isEqualTo(19);
        // Green at the last look before the churn: no warning.
        assertThat(LeadTimes.leadDays(MONTHS, new Color[] {GREEN, GREEN, YELLOW, GREEN}, LocalDate.of(2025, 4, 10)))
                .isEqualTo(-1);
        // Churned on the first as-of day: never observed before it.
        assertThat(LeadTimes.leadDays(MONTHS, new Color[] {RED, RED, RED, RED}, LocalDate.of(2025, 1, 1)))
                .isNull();
    }

    @Test
    void medianOverWarnedChurnsAndCountsOfAllObserved() {
        LeadTimes times = new LeadTimes();
        times.add(MONTHS, new Color[] {GREEN, RED, RED, RED}, LocalDate.of(2025, 4, 15)); // 73
        times.add(MONTHS, new Color[] {RED, YELLOW, RED, null}, LocalDate.of(2025, 3, 20)); // 19
        times.add(MONTHS, new Color[] {GREEN, GREEN, YELLOW, GREEN}, LocalDate.of(2025, 4, 10)); // not warned
        times.add(MONTHS, new Color[] {null, null, null, null}, LocalDate.of(2025, 5, 1)); // never observed
        times.add(MONTHS, new Color[] {RED, RED, RED, RED}, LocalDate.of(2025, 5, 1)); // 31 + 28 + 31 + 30 = 120
        assertThat(times.summary()).isEqualTo(new BacktestResults.LeadTime(4, 3, 73.0));

        times.add(MONTHS, new Color[] {null, null, null, RED}, LocalDate.of(2025, 4, 2)); // 1
        // 1, 19, 73, 120: the median is between 19 and 73.
        assertThat(times.summary()).isEqualTo(new BacktestResults.LeadTime(5, 4, 46.0));
        assertThat(new LeadTimes().summary()).isEqualTo(new BacktestResults.LeadTime(0, 0, null));
    }
}
