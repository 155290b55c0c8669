package dev.steward.insight;

import dev.steward.customer.RevenueHistory.CohortCell;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Logo and revenue retention of the accounts by the quarter their first contract started. An account's starting ARR is
 * its ARR on the day its first contract started; step k is the first day of the (k+1)th quarter after the start
 * quarter, shown only once that day has come. Logo retention = accounts with ARR then ÷ accounts of the cohort; revenue
 * retention = their ARR then ÷ the cohort's starting ARR (above 100 % when the cohort expanded); without starting ARR,
 * "no data".
 */
public record CohortRetention(List<Cohort> cohorts, int steps) {

    /** One start quarter's accounts, starting ARR and retention at each step since. */
    public record Cohort(String quarter, LocalDate start, long accounts, BigDecimal startArr, List<Cell> cells) {}

    /** A cohort's retention at one step. */
    public record Cell(
            int step,
            LocalDate day,
            long accounts,
            BigDecimal arr,
            @Nullable BigDecimal logoRetention,
            @Nullable BigDecimal revenueRetention) {}

    /** The cohorts from the cells the customer module read (step -1 being the start). */
    static CohortRetention of(List<CohortCell> cells) {
        Map<LocalDate, List<CohortCell>> byQuarter = new TreeMap<>();
        cells.forEach(cell -> byQuarter
                .computeIfAbsent(cell.quarter(), q -> new ArrayList<>())
                .add(cell));
        List<Cohort> cohorts = new ArrayList<>();
        int steps = 0;
        for (Map.Entry<LocalDate, List<CohortCell>> quarter : byQuarter.entrySet()) {
            CohortCell start = quarter.getValue().stream()
                    .filter(cell -> cell.step() == -1)
                    .findFirst()
                    .orElseThrow();
            List<Cell> row = new ArrayList<>();
            for (CohortCell cell : quarter.getValue()) {
                if (cell.step() < 0) {
                    continue;
                }
                row.add(new Cell(
                        cell.step(),
                        cell.day(),
                        cell.withArr(),
                        cell.arr(),
                        RevenueRetention.ratio(
                                BigDecimal.valueOf(cell.withArr()), BigDecimal.valueOf(start.accounts())),
                        RevenueRetention.ratio(cell.arr(), start.arr())));
            }
            steps = Math.max(steps, row.size());
            cohorts.add(new Cohort(label(quarter.getKey()), quarter.getKey(), start.accounts(), start.arr(), row));
        }
        return new CohortRetention(cohorts, steps);
    }

    /** 2025-Q3 for the quarter that starts on 2025-07-01. */
    static String label(LocalDate quarter) {
        return quarter.getYear() + "-Q" + ((quarter.getMonthValue() - 1) / 3 + 1);
    }
}
