package dev.steward.backtest;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Two backtests side by side (A and B): each headline figure per horizon both ran, and B − A; and every way the two
 * runs observed different populations (accounts, segment, as-of days, where the data ended), since a difference
 * between runs of different populations mixes a change of score with a change of who was judged.
 *
 * @param comparable whether both runs judged the same accounts on the same as-of days with the same data
 * @param differences each way the populations differ, in words; empty when {@code comparable}
 */
public record BacktestComparison(
        BacktestRun a, BacktestRun b, boolean comparable, List<String> differences, List<Row> rows) {

    /** How a figure is read: a share shown as a percentage, a ROC AUC, a multiple, a count or days. */
    public enum Unit {
        percent,
        auc,
        times,
        count,
        days
    }

    /**
     * One figure at one horizon under A and B; {@code difference} is B − A when both exist (for a percentage, in
     * percentage points once shown).
     */
    public record Row(
            int horizonDays, String figure, Unit unit, Double a, Double b, Double difference, boolean higherIsBetter) {}

    private record Figure(String name, Unit unit, boolean higherIsBetter, Function<Metrics, Double> value) {}

    private static final List<Figure> FIGURES = List.of(
            new Figure("ROC AUC", Unit.auc, true, Metrics::rocAuc),
            new Figure("Accuracy (Red = churn, Green = retain)", Unit.percent, true, Metrics::accuracy),
            new Figure("Always retain (accuracy to beat)", Unit.percent, false, Metrics::retainAllAccuracy),
            new Figure("Accuracy on renewals and churns", Unit.percent, true, Metrics::decidedAccuracy),
            new Figure("Precision of Red", Unit.percent, true, Metrics::redPrecision),
            new Figure("Recall of Red", Unit.percent, true, Metrics::redRecall),
            new Figure("Lift of Red", Unit.times, true, Metrics::lift),
            new Figure("Green that churned", Unit.percent, false, Metrics::greenChurned),
            new Figure("Red that renewed", Unit.percent, false, Metrics::redRenewed),
            new Figure("Base churn rate", Unit.percent, false, Metrics::baseChurnRate),
            new Figure("Observations", Unit.count, true, m -> (double) m.observations()));

    static BacktestComparison of(BacktestRun a, BacktestRun b) {
        List<Row> rows = new ArrayList<>();
        for (BacktestResults.HorizonResult first : a.results().horizons()) {
            BacktestResults.HorizonResult second =
                    b.horizon(first.horizonDays()).orElse(null);
            if (second == null) {
                continue;
            }
            for (Figure figure : FIGURES) {
                Double x = figure.value().apply(first.overall());
                Double y = figure.value().apply(second.overall());
                rows.add(new Row(
                        first.horizonDays(),
                        figure.name(),
                        figure.unit(),
                        x,
                        y,
                        x == null || y == null ? null : y - x,
                        figure.higherIsBetter()));
            }
        }
        BacktestResults.LeadTime leadA = a.results().leadTime();
        BacktestResults.LeadTime leadB = b.results().leadTime();
        rows.add(new Row(
                0,
                "Median days Red before churn",
                Unit.days,
                leadA.medianDays(),
                leadB.medianDays(),
                leadA.medianDays() == null || leadB.medianDays() == null
                        ? null
                        : leadB.medianDays() - leadA.medianDays(),
                true));
        List<String> differences = differences(a, b);
        return new BacktestComparison(summary(a), summary(b), differences.isEmpty(), differences, rows);
    }

    /** Every way the two runs' populations differ. */
    static List<String> differences(BacktestRun a, BacktestRun b) {
        List<String> differences = new ArrayList<>();
        BacktestResults x = a.results();
        BacktestResults y = b.results();
        if (!Objects.equals(a.segment(), b.segment())) {
            differences.add("A covers " + segmentLabel(a) + ", B " + segmentLabel(b));
        }
        boolean sameAccounts = x.population() != null && y.population() != null
                ? x.population().equals(y.population()) && x.accounts() == y.accounts()
                : x.accounts() == y.accounts();
        if (!sameAccounts) {
            differences.add("A observed " + x.accounts() + " accounts, B " + y.accounts()
                    + (x.accounts() == y.accounts() ? ", but not the same ones" : "")
                    + (x.population() == null || y.population() == null
                            ? " (a run from before accounts were recorded only compares by count)"
                            : ""));
        }
        if (!Objects.equals(x.knownUntil(), y.knownUntil())) {
            differences.add("the data on contracts and churn ended on " + x.knownUntil() + " for A and on "
                    + y.knownUntil() + " for B: the history changed between the runs");
        }
        for (BacktestResults.HorizonResult first : x.horizons()) {
            b.horizon(first.horizonDays())
                    .filter(second -> !first.asOfDates().equals(second.asOfDates()))
                    .ifPresent(second -> differences.add("at " + first.horizonDays() + " days, A judges "
                            + days(first.asOfDates()) + ", B " + days(second.asOfDates())));
        }
        return differences;
    }

    private static String segmentLabel(BacktestRun run) {
        return run.segment() == null ? "all segments" : "segment " + run.segment();
    }

    private static String days(List<LocalDate> days) {
        if (days.isEmpty()) {
            return "no as-of day";
        }
        return days.size() == 1
                ? "the as-of day " + days.get(0)
                : days.size() + " as-of days from " + days.get(0) + " to " + days.get(days.size() - 1);
    }

    private static BacktestRun summary(BacktestRun run) {
        return new BacktestRun(
                run.id(),
                run.name(),
                run.scorecards(),
                run.asOfDates(),
                run.horizons(),
                run.segment(),
                run.status(),
                run.daysDone(),
                run.daysTotal(),
                run.error(),
                run.createdBy(),
                run.createdAt(),
                run.startedAt(),
                run.finishedAt(),
                null);
    }
}
