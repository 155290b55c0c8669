package dev.steward.insight;

import dev.steward.backtest.BacktestResults;
import dev.steward.backtest.BacktestRun;
import dev.steward.backtest.Backtests;
import dev.steward.backtest.Metrics;
import dev.steward.ingest.quality.DataKind;
import dev.steward.ingest.quality.DataQualityReport;
import dev.steward.ingest.quality.DataQualitySummaries;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * The two tiles that say how far the dashboard's figures can be trusted: how well the health score foretold churn in
 * the latest finished backtest, and how fresh the accounts' data is by the data-quality report.
 */
@Service
class ExecutiveTiles {

    /** The horizon the score's accuracy is shown at, when the backtest measured it. */
    static final int HORIZON_DAYS = 90;

    static final String NO_BACKTEST = "no backtest yet";

    private final Backtests backtests;
    private final DataQualitySummaries quality;
    private final ExecutiveCache cache;

    ExecutiveTiles(Backtests backtests, DataQualitySummaries quality, ExecutiveCache cache) {
        this.backtests = backtests;
        this.quality = quality;
        this.cache = cache;
    }

    /**
     * The score's accuracy in one finished backtest ({@code backtest} null, and {@code none} saying so, when no run has
     * finished): ROC AUC and the precision of Red at 90 days (or the run's longest horizon when it did not look 90 days
     * ahead), on how many observations, and whether they are enough to judge the score by.
     */
    public record ScoreAccuracy(
            @Nullable UUID backtest,
            @Nullable String name,
            @Nullable String scorecards,
            @Nullable Instant finishedAt,
            @Nullable Integer horizonDays,
            @Nullable Double rocAuc,
            @Nullable Double redPrecision,
            long observations,
            long churned,
            boolean conclusive,
            List<String> reasons,
            @Nullable String none) {}

    /**
     * The accounts' data as the data-quality report's latest snapshot found it: per kind, how many accounts have it
     * fresh, stale or not at all, and the share of (account, kind) pairs that are fresh ({@code null} without
     * accounts).
     */
    public record DataFreshness(
            Instant asOf, long accounts, @Nullable BigDecimal fresh, List<Kind> kinds) {

        /** One kind of data over every account; stale after {@code staleAfterDays} days without a new fact. */
        public record Kind(
                String kind, String label, String facts, long fresh, long stale, long missing, long staleAfterDays) {}
    }

    ScoreAccuracy scoreAccuracy() {
        Optional<BacktestRun> latest = backtests.list().stream()
                .filter(run -> run.status() == BacktestRun.Status.DONE)
                .findFirst();
        if (latest.isEmpty()) {
            return new ScoreAccuracy(null, null, null, null, null, null, null, 0, 0, false, List.of(), NO_BACKTEST);
        }
        // A finished run's results never change: read them once per run.
        return cache.get(
                "accuracy " + latest.get().id(),
                () -> accuracyOf(backtests.get(latest.get().id())));
    }

    static ScoreAccuracy accuracyOf(BacktestRun run) {
        BacktestResults results = run.results();
        Optional<BacktestResults.HorizonResult> horizon = run.horizon(HORIZON_DAYS);
        if (horizon.isEmpty() && results != null) {
            horizon = results.horizons().stream()
                    .max(Comparator.comparingInt(BacktestResults.HorizonResult::horizonDays));
        }
        if (horizon.isEmpty()) {
            return new ScoreAccuracy(
                    run.id(),
                    run.name(),
                    run.scorecardLabel(),
                    run.finishedAt(),
                    null,
                    null,
                    null,
                    0,
                    0,
                    false,
                    List.of("the backtest has no results"),
                    null);
        }
        Metrics metrics = horizon.get().overall();
        return new ScoreAccuracy(
                run.id(),
                run.name(),
                run.scorecardLabel(),
                run.finishedAt(),
                horizon.get().horizonDays(),
                metrics.rocAuc(),
                metrics.redPrecision(),
                metrics.observations(),
                metrics.churned(),
                metrics.verdict() != null && metrics.verdict().conclusive(),
                metrics.verdict() == null ? List.of() : metrics.verdict().reasons(),
                null);
    }

    DataFreshness dataFreshness() {
        DataQualityReport.Summary summary = quality.current();
        List<DataFreshness.Kind> kinds = new ArrayList<>();
        long fresh = 0;
        for (Map.Entry<DataKind, DataQualityReport.KindSummary> entry :
                summary.kinds().entrySet()) {
            DataQualityReport.KindSummary kind = entry.getValue();
            kinds.add(new DataFreshness.Kind(
                    entry.getKey().name(),
                    kind.label(),
                    kind.facts(),
                    kind.fresh(),
                    kind.stale(),
                    kind.missing(),
                    kind.staleAfterDays()));
            fresh += kind.fresh();
        }
        long pairs = summary.accounts() * kinds.size();
        return new DataFreshness(
                summary.asOf(),
                summary.accounts(),
                pairs == 0
                        ? null
                        : BigDecimal.valueOf(fresh).divide(BigDecimal.valueOf(pairs), 4, RoundingMode.HALF_UP),
                kinds);
    }
}
