package dev.steward.demo;

import dev.steward.backtest.BacktestRequest;
import dev.steward.backtest.BacktestResults;
import dev.steward.backtest.Backtests;
import dev.steward.backtest.ChurnAnalysis;
import dev.steward.core.BenchRuns;
import dev.steward.core.CommandOptions;
import dev.steward.core.SubCommand;
import dev.steward.customer.AccountManagement;
import dev.steward.health.HealthScoring;
import dev.steward.health.ScorecardManagement;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/**
 * {@code bench backtest}: a backtest of the published (shipped) scorecards over 24 monthly as-of days and the 30, 90
 * and 180-day horizons on a demo company (default 100,000 accounts), against a baseline in the same run: one as-of
 * scoring pass of every account, without outcomes or tallies, times the number of as-of days; the ratio says what
 * the backtest adds to the scoring it cannot avoid. Also prints how well the scorecards did.
 */
@Component
class BacktestBenchmark implements SubCommand {

    private static final double TARGET_SECONDS_PER_100K = 60;

    private final DemoLoader loader;
    private final AccountManagement accounts;
    private final Backtests backtests;
    private final HealthScoring scoring;
    private final ScorecardManagement scorecards;
    private final DataSource dataSource;

    BacktestBenchmark(
            DemoLoader loader,
            AccountManagement accounts,
            Backtests backtests,
            HealthScoring scoring,
            ScorecardManagement scorecards,
            DataSource dataSource) {
        this.loader = loader;
        this.accounts = accounts;
        this.backtests = backtests;
        this.scoring = scoring;
        this.scorecards = scorecards;
        this.dataSource = dataSource;
    }

    @Override
    public String name() {
        return "bench backtest";
    }

    @Override
    public String usage() {
        return "[--small] [--accounts 100000] [--objective accuracy|balanced|f1] [--runs 3]"
                + " --steward.database.data-dir=/tmp/bench-backtest  time a backtest of"
                + " 24 monthly as-of days against 24 plain as-of scoring passes; loads the demo company into an"
                + " empty database, or reuses one already loaded there; one run is a backtest (which stores nothing)"
                + " and one as-of scoring pass, after one of each to warm up";
    }

    @Override
    public int run(List<String> arguments) throws Exception {
        CommandOptions options = new CommandOptions(arguments);
        boolean small = options.has("small");
        int count = options.getInt("accounts", small ? 1_000 : 100_000);
        BenchRuns runs = BenchRuns.start("backtest", options);
        loader.loadUnlessPresent(count, 42);
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("analyze");
        }
        BacktestRequest request = new BacktestRequest(
                "bench", null, null, null, null, null, null, options.get("objective", "accuracy"), null);
        long warmUpStarted = System.nanoTime();
        BacktestResults results = backtests.evaluate(request);
        int days = results.asOfDates().size();
        LocalDate last = results.asOfDates().get(days - 1);
        double warmUpPass = onePass(last);
        System.out.printf(
                "Warm-up: a backtest and an as-of scoring pass in %.2f s%n", (System.nanoTime() - warmUpStarted) / 1e9);
        for (int r = 0; r < runs.count(); r++) {
            long started = System.nanoTime();
            results = backtests.evaluate(request);
            double seconds = (System.nanoTime() - started) / 1e9;
            double onePass = onePass(last);
            System.out.printf(
                    "Run %d: backtest of %d as-of days × %,d accounts in %.2f s (%.2f s per as-of day); one as-of"
                            + " scoring pass on %s %.2f s, × %d as-of days = %.2f s%n",
                    r + 1, days, results.accounts(), seconds, seconds / days, last, onePass, days, onePass * days);
            runs.record(r, SECONDS, seconds, onePass * days);
        }
        double seconds = runs.series(SECONDS.name()).values().median();
        System.out.printf(
                "Backtest: %d as-of days (%s to %s) × %,d accounts observed in %.2f s, median of the runs (%.2f s per"
                        + " as-of day)%n",
                days,
                results.asOfDates().get(0),
                results.asOfDates().get(days - 1),
                results.accounts(),
                seconds,
                seconds / days);
        for (BacktestResults.HorizonResult horizon : results.horizons()) {
            System.out.printf(
                    Locale.ROOT,
                    "  %3d days (%d as-of days): %,d observations, %,d churned; ROC AUC %s, accuracy %s,"
                            + " precision of Red %s, recall of Red %s, lift %s, Green that churned %s%n",
                    horizon.horizonDays(),
                    horizon.asOfDates().size(),
                    horizon.overall().observations(),
                    horizon.overall().churned(),
                    format(horizon.overall().rocAuc()),
                    format(horizon.overall().accuracy()),
                    format(horizon.overall().redPrecision()),
                    format(horizon.overall().redRecall()),
                    format(horizon.overall().lift()),
                    format(horizon.overall().greenChurned()));
        }
        System.out.printf(
                "  Lead time: %d of %d churns were Red at the last look before them; median %s days of warning%n",
                results.leadTime().warned(),
                results.leadTime().churns(),
                results.leadTime().medianDays());
        for (dev.steward.backtest.Suggestion suggestion : results.suggestions()) {
            if (suggestion.problem() != null) {
                System.out.printf("  Suggestion for %s: none (%s)%n", suggestion.scorecard(), suggestion.problem());
                continue;
            }
            System.out.printf(
                    Locale.ROOT,
                    "  Suggestion for %s (fitted as of %s to %s, judged as of %s to %s, %d days): ROC AUC %s -> %s,"
                            + " accuracy %s -> %s, recall of Red %s -> %s; thresholds %d/%d -> %d/%d%n",
                    suggestion.scorecard(),
                    suggestion.fitFrom(),
                    suggestion.fitTo(),
                    suggestion.evaluatedFrom(),
                    suggestion.evaluatedTo(),
                    suggestion.horizonDays(),
                    format(suggestion.before().rocAuc()),
                    format(suggestion.after().rocAuc()),
                    format(suggestion.before().accuracy()),
                    format(suggestion.after().accuracy()),
                    format(suggestion.before().redRecall()),
                    format(suggestion.after().redRecall()),
                    suggestion.currentRed(),
                    suggestion.currentYellow(),
                    suggestion.suggestedRed(),
                    suggestion.suggestedYellow());
        }
        long analysisStarted = System.nanoTime();
        ChurnAnalysis analysis = backtests.churnAnalysis(null, null, null, null);
        System.out.printf(
                "Churn analysis of the last twelve months (what the churn page computes on opening): %d signals"
                        + " ranked over %d as-of days in %.2f s%n",
                analysis.populations().stream()
                        .mapToInt(p -> p.indicators().size())
                        .sum(),
                analysis.asOfDates().size(),
                (System.nanoTime() - analysisStarted) / 1e9);
        System.out.printf(
                "Baseline: one as-of scoring pass of every account on the last as-of day, × %d as-of days"
                        + " (warm-up pass %.2f s)%n",
                days, warmUpPass);
        runs.summary();
        double per100k = seconds * 100_000 / Math.max(1, accounts.count());
        if (per100k > TARGET_SECONDS_PER_100K) {
            System.out.printf(
                    "WARN median %.1f s per 100,000 accounts is above the target of %.0f s%n",
                    per100k, TARGET_SECONDS_PER_100K);
        }
        runs.benchLines();
        return 0;
    }

    private static final BenchRuns.Figure SECONDS = new BenchRuns.Figure("seconds", "s", 2, 2);

    /** One as-of scoring pass of every account with the published scorecards, in seconds. */
    private double onePass(LocalDate asOf) {
        LongAdder scored = new LongAdder();
        long started = System.nanoTime();
        scoring.scoreAll(asOf, scorecards.publishedVersions(), score -> scored.increment());
        return (System.nanoTime() - started) / 1e9;
    }

    private static String format(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.3f", value);
    }
}
