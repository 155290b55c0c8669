package dev.steward.backtest;

import dev.steward.core.CsvCells;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A finished backtest as CSV files a spreadsheet opens: the figures per horizon and segment, and the missed accounts. */
final class BacktestCsv {

    private BacktestCsv() {}

    /** One row per horizon and segment ("all" first), with the per-color counts. */
    static String figures(BacktestRun run) {
        StringBuilder csv = new StringBuilder();
        row(
                csv,
                "horizon_days",
                "segment",
                "observations",
                "churned",
                "base_churn_rate",
                "accuracy",
                "accuracy_on_renewals_and_churns",
                "roc_auc",
                "red_precision",
                "red_recall",
                "red_lift",
                "green_that_churned",
                "red_that_renewed",
                "green",
                "green_churned",
                "yellow",
                "yellow_churned",
                "red",
                "red_churned",
                "red_renewed",
                "black",
                "black_churned",
                "accuracy_if_all_green",
                "conclusive",
                "inconclusive_because",
                "censored");
        for (BacktestResults.HorizonResult horizon : run.results().horizons()) {
            figures(csv, horizon.horizonDays(), "all", horizon.overall(), horizon.censored());
            for (BacktestResults.SegmentMetrics segment : horizon.segments()) {
                figures(csv, horizon.horizonDays(), segment.segment(), segment.metrics(), null);
            }
            if (horizon.splits() != null) {
                // Each observation in every lifecycle segment its account was in when its as-of day ended.
                for (BacktestResults.SegmentMetrics split : horizon.splits()) {
                    figures(csv, horizon.horizonDays(), "lifecycle segment: " + split.segment(), split.metrics(), null);
                }
            }
            if (horizon.scorecards() != null) {
                for (BacktestResults.ScorecardMetrics scorecard : horizon.scorecards()) {
                    figures(
                            csv,
                            horizon.horizonDays(),
                            "scorecard: " + scorecard.scorecard(),
                            scorecard.metrics(),
                            null);
                }
            }
        }
        return csv.toString();
    }

    private static void figures(StringBuilder csv, int horizon, String segment, Metrics m, Long censored) {
        List<Object> cells = new ArrayList<>(List.of(
                horizon,
                segment,
                m.observations(),
                m.churned(),
                number(m.baseChurnRate()),
                number(m.accuracy()),
                number(m.decidedAccuracy()),
                number(m.rocAuc()),
                number(m.redPrecision()),
                number(m.redRecall()),
                number(m.lift()),
                number(m.greenChurned()),
                number(m.redRenewed())));
        for (Metrics.ColorRow color : m.colors()) {
            cells.add(color.accounts());
            cells.add(color.churned());
            if (color.color() == dev.steward.health.engine.Color.RED) {
                cells.add(color.renewed());
            }
        }
        cells.add(number(m.retainAllAccuracy()));
        cells.add(m.verdict() == null ? "" : m.verdict().conclusive());
        cells.add(m.verdict() == null ? "" : String.join("; ", m.verdict().reasons()));
        cells.add(censored == null ? "" : censored);
        row(csv, cells.toArray());
    }

    /** Every listed Green account that churned within the horizon, most confident miss first. */
    static String missed(BacktestRun run) {
        StringBuilder csv = new StringBuilder();
        row(csv, "horizon_days", "account_id", "account", "segment", "as_of", "score", "churned_on");
        for (BacktestResults.HorizonResult horizon : run.results().horizons()) {
            for (BacktestResults.MissedAccount missed : horizon.missed()) {
                row(
                        csv,
                        horizon.horizonDays(),
                        missed.account(),
                        missed.name(),
                        missed.segment(),
                        missed.asOf(),
                        missed.score(),
                        missed.churnedOn());
            }
        }
        return csv.toString();
    }

    private static String number(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.4f", value);
    }

    private static void row(StringBuilder csv, Object... cells) {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                csv.append(',');
            }
            csv.append(cell(cells[i]));
        }
        csv.append("\r\n");
    }

    /** RFC 4180 quoting; a leading formula character is defused as every CSV export of Steward does. */
    static String cell(Object value) {
        return CsvCells.cell(value);
    }
}
