package dev.steward.demo;

import dev.steward.core.StartupProgress;
import dev.steward.customer.AccountManagement;
import dev.steward.health.HealthScoring;
import dev.steward.health.ScoringRun;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import dev.steward.lifecycle.SegmentManagement;
import dev.steward.playbook.PlaybookManagement;
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
    private final PlaybookManagement playbooks;
    private final SegmentManagement segments;
    private final UserDirectory users;
    private final StartupProgress startup;

    DemoOnFirstStart(
            DemoProperties properties,
            AccountManagement accounts,
            DemoLoader loader,
            HealthScoring scoring,
            PlaybookManagement playbooks,
            SegmentManagement segments,
            UserDirectory users,
            StartupProgress startup) {
        this.properties = properties;
        this.accounts = accounts;
        this.loader = loader;
        this.scoring = scoring;
        this.playbooks = playbooks;
        this.segments = segments;
        this.users = users;
        this.startup = startup;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!properties.loadOnStart() || accounts.count() > 0) {
            return;
        }
        try {
            loadDemo();
        } finally {
            startup.finish();
        }
    }

    private void loadDemo() {
        log.info(
                "Empty database: loading the demo company ({} accounts, seed {})",
                properties.accounts(),
                properties.seed());
        startup.begin("loading the demo company", "accounts", 1, 3, properties.accounts());
        DemoLoader.Loaded loaded = loader.load(properties.accounts(), properties.seed(), startup::advance);
        log.info(
                "Demo company loaded in {} ms: {} accounts, {} contacts, {} contracts, {} activity facts, {} usage values."
                        + " Sign in with the details printed above.",
                loaded.millis(),
                loaded.accounts(),
                loaded.contacts(),
                loaded.contracts(),
                loaded.activities(),
                loaded.usageRows());
        List<java.time.LocalDate> days = HealthScoring.historyDays(scoring.today());
        startup.begin("computing a year of daily health scores", "days", 2, 3, days.size());
        List<ScoringRun> runs = new java.util.ArrayList<>();
        for (java.time.LocalDate day : days) {
            runs.addAll(scoring.backfill(List.of(day)));
            startup.advance(runs.size());
        }
        log.info(
                "Health scores computed for {} days of the last year ({} ms), so history and trends read as after a year",
                runs.size(),
                runs.stream().mapToLong(ScoringRun::millis).sum());
        int stays = loader.importStageHistory(properties.accounts(), properties.seed());
        log.info("Stage history of the demo company imported: {} stays, reconstructed from its contracts", stays);
        int shipped = playbooks.shipped().size();
        startup.begin("installing the shipped playbooks", "playbooks", 3, 3, shipped);
        installPlaybooks();
        installSegments();
        startup.advance(shipped);
    }

    /**
     * Example segments a team would write first, published by a manager, so that the Segments page, the accounts
     * list's segment filter, backtests split by segment and email journeys have something to start from.
     */
    static final List<List<String>> SEGMENTS = List.of(
            List.of(
                    "Enterprise",
                    "Current Enterprise-tier customers",
                    "account.tier == \"Enterprise\" && !account.churned"),
            List.of(
                    "Renewing in 90 days",
                    "Current customers whose next renewal is within 90 days",
                    "!account.churned && has(account.daysToRenewal) && account.daysToRenewal >= 0"
                            + " && account.daysToRenewal <= 90"),
            List.of(
                    "At-risk Enterprise",
                    "Enterprise customers whose health is Red or Yellow",
                    "\"Enterprise\" in segments && health.color in [\"red\", \"yellow\"]"),
            List.of(
                    "Low license utilization",
                    "Current customers using fewer than half of their seats over 30 days",
                    "!account.churned && health.measures[\"License utilization\"] < 0.5"));

    private void installSegments() {
        User manager = users.findByEmail("manager1@steward.local").orElseThrow();
        for (List<String> segment : SEGMENTS) {
            String yaml = "name: " + segment.get(0) + "\ndescription: " + segment.get(1) + "\ncondition: '"
                    + segment.get(2) + "'\n";
            int version =
                    segments.saveDraft(segment.get(0), yaml, manager).version().version();
            segments.publish(segment.get(0), version, manager);
        }
        log.info(
                "Example segments published: {}",
                SEGMENTS.stream().map(s -> s.get(0)).toList());
    }

    /**
     * The shipped playbooks a team switches on first (at-risk, renewal, onboarding, detractor, champion change), by a
     * manager — the time-based ones fire on today's data within seconds — and the at-risk playbook run once on today's
     * Red accounts, so that the CSMs' lists hold the CTAs a team would have after a while with Steward. The rest
     * (Yellow monitoring, Green expansion, QBR) are saved as drafts, to be tried with a dry run before they are
     * switched on.
     */
    private void installPlaybooks() {
        User manager = users.findByEmail("manager1@steward.local").orElseThrow();
        List<String> first = List.of(
                "At-risk intervention",
                "Renewal from 120 days",
                "Onboarding follow-up",
                "Detractor recovery",
                "Champion change");
        List<String> installed = playbooks.installShipped(first, manager);
        playbooks.shipped().forEach((name, yaml) -> {
            if (!first.contains(name)) {
                playbooks.saveDraft(name, yaml, manager);
            }
        });
        int ctas = installed.contains("At-risk intervention")
                ? playbooks.runNow("At-risk intervention", manager).ctas()
                : 0;
        log.info(
                "Playbooks switched on: {} ({} CTAs made for today's Red accounts); the other shipped playbooks are"
                        + " drafts",
                installed,
                ctas);
    }
}
