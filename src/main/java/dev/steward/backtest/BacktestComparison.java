package dev.steward.backtest;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Two backtests side by side (A and B): each headline figure per horizon both ran, and B − A. */
public record BacktestComparison(BacktestRun a, BacktestRun b, List<Row> rows) {

    /** One figure at one horizon under A and B; {@code difference} is B − A when both exist. */
    public record Row(int horizonDays, String figure, Double a, Double b, Double difference, boolean higherIsBetter) {}

    private record Figure(String name, boolean higherIsBetter, Function<Metrics, Double> value) {}

    private static final List<Figure> FIGURES = List.of(
            new Figure("ROC AUC", true, Metrics::rocAuc),
            new Figure("Accuracy (Red = churn, Green = retain)", true, Metrics::accuracy),
            new Figure("Accuracy on renewals and churns", true, Metrics::decidedAccuracy),
            new Figure("Precision of Red", true, Metrics::redPrecision),
            new Figure("Recall of Red", true, Metrics::redRecall),
            new Figure("Lift of Red", true, Metrics::lift),
            new Figure("Green that churned", false, Metrics::greenChurned),
            new Figure("Red that renewed", false, Metrics::redRenewed),
            new Figure("Base churn rate", false, Metrics::baseChurnRate),
            new Figure("Observations", true, m -> (double) m.observations()));

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
                leadA.medianDays(),
                leadB.medianDays(),
                leadA.medianDays() == null || leadB.medianDays() == null
                        ? null
                        : leadB.medianDays() - leadA.medianDays(),
                true));
        return new BacktestComparison(summary(a), summary(b), rows);
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
