package dev.steward.demo;

import dev.steward.customer.AccountManagement;
import dev.steward.health.HealthScoring;
import dev.steward.health.ScoringRun;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Loads the demo company when Steward starts on an empty database, unless {@code steward.demo.load-on-start=false}. */
@Component
@Order(10)
@EnableConfigurationProperties(DemoProperties.class)
class DemoOnFirstStart implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoOnFirstStart.class);

    private final DemoProperties properties;
    private final AccountManagement accounts;
    private final DemoLoader loader;
    private final HealthScoring scoring;

    DemoOnFirstStart(DemoProperties properties, AccountManagement accounts, DemoLoader loader, HealthScoring scoring) {
        this.properties = properties;
        this.accounts = accounts;
        this.loader = loader;
        this.scoring = scoring;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!properties.loadOnStart() || accounts.count() > 0) {
            return;
        }
        log.info(
                "Empty database: loading the demo company ({} accounts, seed {})",
                properties.accounts(),
                properties.seed());
        DemoLoader.Loaded loaded = loader.load(properties.accounts(), properties.seed());
        log.info(
                "Demo company loaded in {} ms: {} accounts, {} contacts, {} contracts, {} activity facts, {} usage values."
                        + " Sign in with the details printed above.",
                loaded.millis(),
                loaded.accounts(),
                loaded.contacts(),
                loaded.contracts(),
                loaded.activities(),
                loaded.usageRows());
        List<ScoringRun> runs = scoring.backfill(HealthScoring.historyDays(scoring.today()));
        log.info(
                "Health scores computed for {} days of the last year ({} ms), so history and trends read as after a year",
                runs.size(),
                runs.stream().mapToLong(ScoringRun::millis).sum());
    }
}
