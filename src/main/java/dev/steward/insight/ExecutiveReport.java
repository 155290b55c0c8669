package dev.steward.insight;

import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The executive dashboard as its exports have it: the figures of one request (tier, months of revenue retention,
 * backtest), its tables (each a CSV) and the whole as a PDF. The page's exports and the scheduled emails are made
 * here, so that both say the same.
 */
@Component
class ExecutiveReport {

    /** The days of CSM productivity a report covers unless told otherwise. */
    static final int PRODUCTIVITY_DAYS = 30;

    private final ExecutiveDashboard dashboard;
    private final CsmProductivities productivity;
    private final ExecutiveTiles tiles;

    ExecutiveReport(ExecutiveDashboard dashboard, CsmProductivities productivity, ExecutiveTiles tiles) {
        this.dashboard = dashboard;
        this.productivity = productivity;
        this.tiles = tiles;
    }

    /** The figures of one request: the months of revenue retention and the tier. */
    record Figures(
            @Nullable String tier,
            YearMonth from,
            YearMonth to,
            ExecutiveDashboard.Retention retention,
            ArrAtRisk risk,
            HealthDistribution distribution,
            RenewalForecast forecast,
            CohortRetention cohorts,
            int days,
            CsmProductivity productivity,
            ExecutiveTiles.ScoreAccuracy accuracy,
            ExecutiveTiles.DataFreshness freshness) {

        List<ExecutiveTable> tables() {
            return List.of(
                    ExecutiveTable.of(accuracy),
                    ExecutiveTable.of(freshness),
                    ExecutiveTable.of(retention),
                    ExecutiveTable.of(risk),
                    ExecutiveTable.of(distribution),
                    ExecutiveTable.upcoming(forecast),
                    ExecutiveTable.past(forecast),
                    ExecutiveTable.cohorts(cohorts, false),
                    ExecutiveTable.cohorts(cohorts, true),
                    ExecutiveTable.of(productivity));
        }
    }

    /**
     * The figures for a tier (or every account) over the months from–to (default the last twelve that are over), with
     * CSM productivity over the last {@code days} days.
     */
    Figures figures(
            @Nullable String tier, @Nullable String from, @Nullable String to, @Nullable UUID backtest, int days) {
        String narrowed = tier == null || tier.isBlank() ? null : tier.strip();
        YearMonth last =
                to == null || to.isBlank() ? dashboard.lastCompleteMonth() : ExecutiveDashboard.month("to", to);
        YearMonth first =
                from == null || from.isBlank() ? last.minusMonths(11) : ExecutiveDashboard.month("from", from);
        return new Figures(
                narrowed,
                first,
                last,
                dashboard.retention(first, last, narrowed),
                dashboard.arrAtRisk(narrowed),
                dashboard.healthDistribution(24, narrowed),
                dashboard.renewalForecast(narrowed, backtest),
                dashboard.cohorts(8, narrowed),
                days,
                productivity.productivity(days, narrowed),
                tiles.scoreAccuracy(),
                tiles.dataFreshness());
    }

    /** The figures as a PDF: the definitions, then every table. */
    byte[] pdf(Figures figures) {
        return ExecutivePdf.render(
                "Executive dashboard" + (figures.tier() == null ? "" : " — " + figures.tier()),
                "As of " + dashboard.today() + "; revenue retention " + figures.from() + " to " + figures.to()
                        + "; CSM productivity over the last " + figures.days() + " days",
                ExecutivePages.DEFINITIONS,
                figures.tables());
    }
}
