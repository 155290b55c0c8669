package dev.steward.health;

import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import java.time.LocalDate;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * When scores are computed, each a job (db-scheduler, see {@code core.Jobs}) that runs once across instances: every
 * account daily after closing expired overrides; every account when a scorecard version is published (see
 * {@link RescoreOnPublish}); and, within seconds, the accounts that new facts arrived for (see
 * {@link RescoreRequests}), taken together every {@code steward.health.debounce} so that a burst of events costs one
 * re-score.
 */
@Configuration(proxyBeanMethods = false)
class HealthJobs {

    /** A burst touching more accounts than this is cheaper to handle as one re-score of every account. */
    static final int FULL_RESCORE_ABOVE = 20_000;

    /** Request rows taken at once: enough to tell whether more than {@link #FULL_RESCORE_ABOVE} accounts wait. */
    static final int TAKEN_AT_ONCE = 200_000;

    private static final Logger log = LoggerFactory.getLogger(HealthJobs.class);

    private final HealthScoring scoring;
    private final HealthProperties properties;
    private final RescoreRequests requests;

    HealthJobs(HealthScoring scoring, HealthProperties properties, RescoreRequests requests) {
        this.scoring = scoring;
        this.properties = properties;
        this.requests = requests;
    }

    @Bean
    RecurringTask<Void> dailyRescore() {
        return Tasks.recurring("health-daily-rescore", Schedules.cron(properties.dailyCron()))
                .execute((instance, context) -> daily(scoring.today()));
    }

    @Bean
    RecurringTask<Void> requestedRescore() {
        return Tasks.recurring("health-requested-rescore", Schedules.fixedDelay(properties.debounce()))
                .execute((instance, context) -> requested());
    }

    @Bean
    OneTimeTask<ScorecardPublished> publishedRescore() {
        return Tasks.oneTime(RescoreOnPublish.TASK, ScorecardPublished.class)
                .execute((instance, context) -> published(instance.getData()));
    }

    void daily(LocalDate day) {
        int expired = scoring.expireOverrides(day);
        ScoringRun run = scoring.rescoreAll(day);
        log.info(
                "Daily re-score for {}: {} accounts in {} ms, {} changed color, {} overrides expired",
                day,
                run.scored(),
                run.millis(),
                run.colorChanges(),
                expired);
    }

    /** Re-scores the accounts whose facts changed since the last time; an account missed in a crash waits for the daily. */
    void requested() {
        Set<UUID> accounts = requests.take(TAKEN_AT_ONCE);
        if (accounts.isEmpty()) {
            return;
        }
        if (accounts.size() > FULL_RESCORE_ABOVE) {
            requests.takeAll();
        }
        try {
            scoring.rescore(accounts.size() > FULL_RESCORE_ABOVE ? null : accounts, scoring.today());
        } catch (RuntimeException e) {
            requests.note(accounts);
            throw e;
        }
    }

    void published(ScorecardPublished published) {
        ScoringRun run = scoring.rescoreAll(scoring.today());
        log.info(
                "Re-scored {} accounts in {} ms after {} v{} was published",
                run.scored(),
                run.millis(),
                published.name(),
                published.version());
    }
}
