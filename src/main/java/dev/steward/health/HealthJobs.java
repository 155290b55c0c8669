package dev.steward.health;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import dev.steward.activity.ActivityRecorded;
import dev.steward.customer.AccountRecordsChanged;
import dev.steward.usage.UsageRecorded;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * When scores are computed: every account daily (a cluster-wide job, run once whichever instance takes it) after
 * closing expired overrides; every account when a scorecard version is published; and, within seconds, the accounts
 * that new facts arrived for, gathered over a short debounce so that a burst of events costs one re-score.
 */
@Configuration(proxyBeanMethods = false)
class HealthJobs implements DisposableBean {

    /** A burst touching more accounts than this is cheaper to handle as one re-score of every account. */
    static final int FULL_RESCORE_ABOVE = 20_000;

    private static final Logger log = LoggerFactory.getLogger(HealthJobs.class);

    private final HealthScoring scoring;
    private final HealthProperties properties;
    private final ScheduledExecutorService debouncer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "health-rescore");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<UUID> pending = new HashSet<>();
    private boolean scheduled;
    private volatile boolean stopping;

    HealthJobs(HealthScoring scoring, HealthProperties properties) {
        this.scoring = scoring;
        this.properties = properties;
    }

    @Bean
    RecurringTask<Void> dailyRescore() {
        return Tasks.recurring("health-daily-rescore", Schedules.cron(properties.dailyCron()))
                .execute((instance, context) -> daily(scoring.today()));
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

    @ApplicationModuleListener
    void on(ScorecardPublished published) {
        ScoringRun run = scoring.rescoreAll(scoring.today());
        log.info(
                "Re-scored {} accounts in {} ms after {} v{} was published",
                run.scored(),
                run.millis(),
                published.name(),
                published.version());
    }

    // New facts arrive by the thousand during a load. Listening in the publisher's thread and acting after its commit
    // keeps them off the task executor and out of the event publication registry: all they do is note accounts in
    // memory, and an account missed in a crash is caught by the daily re-score.
    @EventListener
    void on(ActivityRecorded recorded) {
        if (!HealthTimeline.KIND.equals(recorded.kind())) {
            afterCommit(Set.of(recorded.account().value()));
        }
    }

    @EventListener
    void on(UsageRecorded recorded) {
        afterCommit(recorded.accounts());
    }

    /** Contacts (champions) and contracts (seats, ARR, renewal dates) feed measures; opportunities do not. */
    @EventListener
    void on(AccountRecordsChanged changed) {
        if (!"opportunity".equals(changed.kind())) {
            afterCommit(changed.accounts());
        }
    }

    private void afterCommit(Set<UUID> accounts) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            soon(accounts);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                soon(accounts);
            }
        });
    }

    /** Re-scores these accounts once the debounce has passed, together with any others that arrive meanwhile. */
    synchronized void soon(Set<UUID> accounts) {
        pending.addAll(accounts);
        if (!scheduled && !stopping) {
            scheduled = true;
            debouncer.schedule(this::drain, properties.debounce().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void drain() {
        if (stopping) {
            return;
        }
        Set<UUID> accounts;
        synchronized (this) {
            accounts = new HashSet<>(pending);
            pending.clear();
            scheduled = false;
        }
        try {
            scoring.rescore(accounts.size() > FULL_RESCORE_ABOVE ? null : accounts, scoring.today());
        } catch (RuntimeException e) {
            log.warn(
                    "Re-scoring {} accounts after new facts failed; the daily re-score will catch up",
                    accounts.size(),
                    e);
        }
    }

    /** Lets a re-score under way finish before the database goes away, and starts no other. */
    @Override
    public void destroy() throws InterruptedException {
        stopping = true;
        debouncer.shutdown();
        if (!debouncer.awaitTermination(30, TimeUnit.SECONDS)) {
            debouncer.shutdownNow();
        }
    }
}
