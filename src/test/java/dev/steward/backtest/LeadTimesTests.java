package dev.steward.backtest;

import static dev.steward.health.engine.Color.GREEN;
import static dev.steward.health.engine.Color.RED;
import static dev.steward.health.engine.Color.YELLOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.customer.ContractOutcomes.ContractOutcome;
import dev.steward.customer.RenewalOutcome;
import dev.steward.health.engine.Color;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
        LeadTimes times = new LeadTimes(LocalDate.MIN, LocalDate.MAX);
        times.add(MONTHS, new Color[] {GREEN, RED, RED, RED}, LocalDate.of(2025, 4, 15)); // 73
        times.add(MONTHS, new Color[] {RED, YELLOW, RED, null}, LocalDate.of(2025, 3, 20)); // 19
        times.add(MONTHS, new Color[] {GREEN, GREEN, YELLOW, GREEN}, LocalDate.of(2025, 4, 10)); // not warned
        times.add(MONTHS, new Color[] {null, null, null, null}, LocalDate.of(2025, 5, 1)); // never observed
        times.add(MONTHS, new Color[] {RED, RED, RED, RED}, LocalDate.of(2025, 5, 1)); // 31 + 28 + 31 + 30 = 120
        assertThat(times.summary()).isEqualTo(new BacktestResults.LeadTime(4, 3, 73.0));

        times.add(MONTHS, new Color[] {null, null, null, RED}, LocalDate.of(2025, 4, 2)); // 1
        // 1, 19, 73, 120: the median is between 19 and 73.
        assertThat(times.summary()).isEqualTo(new BacktestResults.LeadTime(5, 4, 46.0));
        assertThat(new LeadTimes(LocalDate.MIN, LocalDate.MAX).summary())
                .isEqualTo(new BacktestResults.LeadTime(0, 0, null));
    }

    /**
     * Nine months of monthly subscriptions (January to September 2025, the data's end), each month a new contract that
     * does not name the one before, as CSV exports write them. Five of 100 customers leave, in March to July; the others
     * are still customers when the data ends. A run over the six months January to June with a 30-day horizon reads the
     * contracts up to 1 July: the July contracts' successors (starting 1 August) are not read, so those contracts look
     * unrenewed. Lead time must count the five churns, not 100.
     */
    @Test
    void aSixMonthRunCountsOnlyTheChurnsThatHappenedWithinItsDays() {
        LocalDate first = LocalDate.of(2025, 1, 1);
        LocalDate dataEnds = LocalDate.of(2025, 9, 30);
        List<LocalDate> days = new ArrayList<>();
        for (int month = 0; month < 6; month++) {
            days.add(first.plusMonths(month));
        }
        OutcomeHorizons.Known known = new OutcomeHorizons.Known(Map.of("csv", dataEnds), dataEnds, first, List.of());
        Backtester.Plan plan =
                new Backtester.Plan(List.of(), days, List.of(30), null, null, null, dataEnds, known, null, List.of());
        LocalDate until = plan.outcomesUntil();
        assertThat(until).isEqualTo(LocalDate.of(2025, 7, 1));

        List<ContractOutcome> read = new ArrayList<>();
        Set<UUID> accounts = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            UUID account = UUID.randomUUID();
            accounts.add(account);
            // The five leavers' last month is February to June: they churn on 1 March to 1 July.
            int months = i < 5 ? 2 + i : 9;
            for (int month = 0; month < months; month++) {
                LocalDate start = first.plusMonths(month);
                LocalDate end = start.plusMonths(1);
                // As Backtester reads them: the contracts touching the run's first day to its last outcome day.
                if (!start.isAfter(until)) {
                    read.add(new ContractOutcome(
                            UUID.randomUUID(),
                            account,
                            "csv",
                            start,
                            end,
                            BigDecimal.TEN,
                            null,
                            end.isAfter(dataEnds) ? RenewalOutcome.PENDING : RenewalOutcome.CHURNED));
                }
            }
        }
        AccountOutcomes outcomes = new AccountOutcomes(read, List.of(), accounts, Map.of(), known.bySource(), dataEnds);
        LeadTimes leadTimes = new LeadTimes(days.get(0), until);
        Color[] red = new Color[days.size()];
        Arrays.fill(red, RED);
        for (UUID account : outcomes.churnedAccounts()) {
            outcomes.churnDays(account).forEach(day -> leadTimes.add(days, red, day));
        }
        assertThat(leadTimes.summary().churns())
                .as("the five customers who left; the 95 still running when the data ends did not churn")
                .isEqualTo(5);
        // The churn figures of the horizon agree: on 1 June, one account churns within 30 days (on 1 July).
        long churnedInJune = accounts.stream()
                .filter(account -> outcomes.outcome(account, days.get(5), 30) == Outcome.CHURNED)
                .count();
        assertThat(churnedInJune).isEqualTo(1);
    }
}
