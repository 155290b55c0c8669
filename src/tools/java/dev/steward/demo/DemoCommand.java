package dev.steward.demo;

import dev.steward.core.CommandOptions;
import dev.steward.core.SubCommand;
import dev.steward.health.HealthScoring;
import dev.steward.health.ScoringRun;
import java.util.List;
import org.springframework.stereotype.Component;

/** {@code demo}: loads a demo company of a given size into the configured database. */
@Component
class DemoCommand implements SubCommand {

    private final DemoLoader loader;
    private final HealthScoring scoring;

    DemoCommand(DemoLoader loader, HealthScoring scoring) {
        this.loader = loader;
        this.scoring = scoring;
    }

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String usage() {
        return "[--accounts 2000] [--seed 42] [--no-scores]  load a demo company into the configured database and back-fill"
                + " a year of daily health scores (not with --no-scores)";
    }

    @Override
    public int run(List<String> arguments) {
        CommandOptions options = new CommandOptions(arguments);
        int accounts = options.getInt("accounts", 2000);
        long seed = options.getInt("seed", 42);
        System.out.printf("Loading a demo company of %,d accounts (seed %d)%n", accounts, seed);
        DemoLoader.Loaded loaded = loader.load(accounts, seed, DemoLoader.progress(accounts));
        System.out.printf(
                "Loaded a demo company of %,d accounts (seed %d) in %.1f s: %,d contacts, %,d contracts, "
                        + "%,d activity facts, %,d daily usage values%n",
                loaded.accounts(),
                seed,
                loaded.millis() / 1000.0,
                loaded.contacts(),
                loaded.contracts(),
                loaded.activities(),
                loaded.usageRows());
        if (options.has("no-scores")) {
            System.out.println("No health scores back-filled (--no-scores)");
            return 0;
        }
        long started = System.nanoTime();
        List<java.time.LocalDate> days = HealthScoring.historyDays(scoring.today());
        System.out.printf("Scoring every account for %d days of the last year%n", days.size());
        List<ScoringRun> runs = new java.util.ArrayList<>();
        for (java.time.LocalDate day : days) {
            runs.addAll(scoring.backfill(List.of(day)));
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(
                    "  Health scores: %d of %d days in %.0f s (about %.0f s left)%n",
                    runs.size(), days.size(), seconds, seconds * (days.size() - runs.size()) / runs.size());
        }
        System.out.printf(
                "Scored every account for %d days of the last year in %.1f s%n",
                runs.size(), (System.nanoTime() - started) / 1e9);
        return 0;
    }
}
