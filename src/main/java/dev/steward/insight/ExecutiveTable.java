package dev.steward.insight;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.jspecify.annotations.Nullable;

/**
 * One table of the executive dashboard as exports write it: ARR as plain decimals, ratios as decimals (0.9750 is
 * 97.50 %), and "no data" where a figure cannot be measured. The CSV export and the PDF are both made from these.
 */
record ExecutiveTable(String name, String title, List<String> headers, List<List<String>> rows) {

    /** What a figure that cannot be measured reads as. */
    static final String NO_DATA = "no data";

    /** The tables of the dashboard by name, in page order. */
    static final List<String> NAMES = List.of(
            "retention",
            "arr-at-risk",
            "health-distribution",
            "renewal-forecast",
            "renewal-history",
            "cohorts-logo",
            "cohorts-revenue",
            "csm-productivity",
            "score-accuracy",
            "data-freshness");

    /** The table as CSV (RFC 4180, a header line first). */
    String csv() {
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(
                out,
                CSVFormat.RFC4180
                        .builder()
                        .setHeader(headers.toArray(String[]::new))
                        .get())) {
            for (List<String> row : rows) {
                printer.printRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static String amount(@Nullable BigDecimal value) {
        return value == null ? NO_DATA : value.toPlainString();
    }

    static String count(@Nullable Long value) {
        return value == null ? NO_DATA : value.toString();
    }

    static ExecutiveTable of(ExecutiveDashboard.Retention retention) {
        List<List<String>> rows = new ArrayList<>();
        for (RevenueRetention month : retention.months()) {
            rows.add(retentionRow(month.from().toString().substring(0, 7), month));
        }
        RevenueRetention trailing = retention.trailingTwelveMonths();
        rows.add(retentionRow("trailing 12 months", trailing));
        return new ExecutiveTable(
                "retention",
                "Net and gross revenue retention",
                List.of(
                        "period",
                        "from",
                        "to",
                        "customers at start",
                        "starting ARR",
                        "expansion",
                        "contraction",
                        "churn",
                        "ending ARR",
                        "NRR",
                        "GRR",
                        "new accounts",
                        "new ARR",
                        "total ending ARR"),
                rows);
    }

    private static List<String> retentionRow(String label, RevenueRetention r) {
        return List.of(
                label,
                r.from().toString(),
                r.to().toString(),
                Long.toString(r.startAccounts()),
                amount(r.startArr()),
                amount(r.expansion()),
                amount(r.contraction()),
                amount(r.churn()),
                amount(r.endingArr()),
                amount(r.nrr()),
                amount(r.grr()),
                Long.toString(r.newAccounts()),
                amount(r.newArr()),
                amount(r.totalEndingArr()));
    }

    static ExecutiveTable of(ArrAtRisk risk) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(riskRow("total", risk.total()));
        risk.bySegment().forEach(row -> rows.add(riskRow("segment", row)));
        risk.byOwner().forEach(row -> rows.add(riskRow("owner", row)));
        risk.byRenewalMonth().forEach(row -> rows.add(riskRow("renewal month", row)));
        return new ExecutiveTable(
                "arr-at-risk",
                "ARR at risk",
                List.of(
                        "by",
                        "group",
                        "customers",
                        "red ARR",
                        "yellow ARR",
                        "at risk ARR",
                        "black (no data) ARR",
                        "green ARR",
                        "ARR"),
                rows);
    }

    private static List<String> riskRow(String by, ArrAtRisk.Row row) {
        return List.of(
                by,
                row.label(),
                Long.toString(row.accounts()),
                amount(row.red()),
                amount(row.yellow()),
                amount(row.atRisk()),
                amount(row.black()),
                amount(row.green()),
                amount(row.total()));
    }

    static ExecutiveTable of(HealthDistribution distribution) {
        List<List<String>> rows = new ArrayList<>();
        for (HealthDistribution.Point p : distribution.points()) {
            rows.add(List.of(
                    p.day().toString(),
                    Long.toString(p.customers()),
                    count(p.red()),
                    count(p.yellow()),
                    count(p.green()),
                    count(p.black()),
                    amount(p.redArr()),
                    amount(p.yellowArr()),
                    amount(p.greenArr()),
                    amount(p.blackArr()),
                    amount(p.arr())));
        }
        return new ExecutiveTable(
                "health-distribution",
                "Health of the customers over time",
                List.of(
                        "day",
                        "customers",
                        "red",
                        "yellow",
                        "green",
                        "black (no data)",
                        "red ARR",
                        "yellow ARR",
                        "green ARR",
                        "black ARR",
                        "ARR"),
                rows);
    }

    static ExecutiveTable upcoming(RenewalForecast forecast) {
        List<List<String>> rows = new ArrayList<>();
        for (RenewalForecast.Upcoming u : forecast.upcoming()) {
            rows.add(List.of(
                    u.month().toString(),
                    Long.toString(u.contracts()),
                    amount(u.upForRenewal()),
                    amount(u.red()),
                    amount(u.yellow()),
                    amount(u.green()),
                    amount(u.black()),
                    u.expected() == null ? forecast.noCalibration() : amount(u.expected()),
                    amount(u.notForecast()),
                    amount(u.renewedEarly()),
                    amount(u.cancelled())));
        }
        return new ExecutiveTable(
                "renewal-forecast",
                "Renewal forecast, next 12 months",
                List.of(
                        "month",
                        "contracts",
                        "up for renewal",
                        "red",
                        "yellow",
                        "green",
                        "black (no data)",
                        "expected to renew",
                        "not forecast",
                        "renewed early",
                        "cancelled"),
                rows);
    }

    static ExecutiveTable past(RenewalForecast forecast) {
        List<List<String>> rows = new ArrayList<>();
        for (RenewalForecast.Past p : forecast.past()) {
            rows.add(List.of(
                    p.month().toString(),
                    Long.toString(p.contracts()),
                    amount(p.upForRenewal()),
                    p.forecast() == null ? forecast.noCalibration() : amount(p.forecast()),
                    amount(p.notForecast()),
                    amount(p.retained()),
                    amount(p.renewed()),
                    amount(p.expanded()),
                    amount(p.expansion()),
                    amount(p.contracted()),
                    amount(p.contraction()),
                    amount(p.churned()),
                    amount(p.renewalArr())));
        }
        return new ExecutiveTable(
                "renewal-history",
                "Renewals of the last 12 months: forecast against what happened",
                List.of(
                        "month",
                        "contracts",
                        "up for renewal",
                        "forecast to renew",
                        "not forecast",
                        "renewed (any)",
                        "renewed flat",
                        "expanded",
                        "expansion",
                        "contracted",
                        "contraction",
                        "churned",
                        "renewal ARR"),
                rows);
    }

    static ExecutiveTable cohorts(CohortRetention cohorts, boolean revenue) {
        List<String> headers = new ArrayList<>(List.of("start quarter", "accounts", "starting ARR"));
        for (int step = 0; step < cohorts.steps(); step++) {
            headers.add("Q+" + (step + 1));
        }
        List<List<String>> rows = new ArrayList<>();
        for (CohortRetention.Cohort cohort : cohorts.cohorts()) {
            List<String> row = new ArrayList<>(
                    List.of(cohort.quarter(), Long.toString(cohort.accounts()), amount(cohort.startArr())));
            for (int step = 0; step < cohorts.steps(); step++) {
                row.add(
                        step < cohort.cells().size()
                                ? amount(
                                        revenue
                                                ? cohort.cells().get(step).revenueRetention()
                                                : cohort.cells().get(step).logoRetention())
                                : "");
            }
            rows.add(row);
        }
        return new ExecutiveTable(
                revenue ? "cohorts-revenue" : "cohorts-logo",
                revenue ? "Revenue retention by start quarter" : "Logo retention by start quarter",
                headers,
                rows);
    }

    static ExecutiveTable of(CsmProductivity productivity) {
        List<List<String>> rows = new ArrayList<>();
        productivity.csms().forEach(row -> rows.add(productivityRow(row)));
        rows.add(productivityRow(productivity.total()));
        return new ExecutiveTable(
                "csm-productivity",
                "CSM productivity, " + productivity.from() + " to " + productivity.to() + " (" + productivity.days()
                        + " days)",
                List.of(
                        "CSM",
                        "customers",
                        "ARR",
                        "touches",
                        "CTAs made",
                        "made and closed",
                        "completion rate",
                        "CTAs closed",
                        "closed within SLA",
                        "SLA hit rate",
                        "turned Red",
                        "acted on",
                        "median days to first action"),
                rows);
    }

    private static List<String> productivityRow(CsmProductivity.Row row) {
        return List.of(
                row.label(),
                Long.toString(row.accounts()),
                amount(row.arr()),
                Long.toString(row.touches()),
                Long.toString(row.ctasOpened()),
                Long.toString(row.ctasOpenedClosed()),
                amount(row.completionRate()),
                Long.toString(row.ctasClosed()),
                Long.toString(row.closedWithinSla()),
                amount(row.slaHitRate()),
                Long.toString(row.redChanges()),
                Long.toString(row.redActedOn()),
                amount(row.medianDaysToAction()));
    }

    static ExecutiveTable of(ExecutiveTiles.ScoreAccuracy accuracy) {
        List<List<String>> rows = new ArrayList<>();
        if (accuracy.backtest() == null) {
            rows.add(List.of(String.valueOf(accuracy.none()), "", "", "", NO_DATA, NO_DATA, "0", "0", "no", ""));
        } else {
            rows.add(List.of(
                    String.valueOf(accuracy.name()),
                    String.valueOf(accuracy.scorecards()),
                    accuracy.finishedAt() == null ? "" : accuracy.finishedAt().toString(),
                    accuracy.horizonDays() == null ? "" : accuracy.horizonDays().toString(),
                    decimal(accuracy.rocAuc()),
                    decimal(accuracy.redPrecision()),
                    Long.toString(accuracy.observations()),
                    Long.toString(accuracy.churned()),
                    accuracy.conclusive() ? "yes" : "no",
                    String.join("; ", accuracy.reasons())));
        }
        return new ExecutiveTable(
                "score-accuracy",
                "Score accuracy, latest finished backtest",
                List.of(
                        "backtest",
                        "scorecards",
                        "finished",
                        "horizon days",
                        "ROC AUC",
                        "Red precision",
                        "observations",
                        "churned",
                        "conclusive",
                        "why not"),
                rows);
    }

    static ExecutiveTable of(ExecutiveTiles.DataFreshness freshness) {
        List<List<String>> rows = new ArrayList<>();
        for (ExecutiveTiles.DataFreshness.Kind kind : freshness.kinds()) {
            rows.add(List.of(
                    kind.label(),
                    kind.facts(),
                    Long.toString(kind.fresh()),
                    Long.toString(kind.stale()),
                    Long.toString(kind.missing()),
                    Long.toString(kind.staleAfterDays())));
        }
        rows.add(List.of(
                "all kinds",
                "share of (account, kind) pairs that are fresh: " + amount(freshness.fresh()),
                Long.toString(freshness.kinds().stream()
                        .mapToLong(ExecutiveTiles.DataFreshness.Kind::fresh)
                        .sum()),
                Long.toString(freshness.kinds().stream()
                        .mapToLong(ExecutiveTiles.DataFreshness.Kind::stale)
                        .sum()),
                Long.toString(freshness.kinds().stream()
                        .mapToLong(ExecutiveTiles.DataFreshness.Kind::missing)
                        .sum()),
                ""));
        return new ExecutiveTable(
                "data-freshness",
                "Data freshness, " + freshness.accounts() + " accounts as of " + freshness.asOf(),
                List.of("kind", "facts", "fresh", "stale", "missing", "stale after days"),
                rows);
    }

    /** A ratio measured as a double, to four decimals (half up). */
    static String decimal(@Nullable Double value) {
        return value == null
                ? NO_DATA
                : BigDecimal.valueOf(value)
                        .setScale(4, java.math.RoundingMode.HALF_UP)
                        .toPlainString();
    }
}
