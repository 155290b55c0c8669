package dev.steward.insight;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import dev.steward.customer.AccountDeleted;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountRecordsChanged;
import dev.steward.health.HealthOverridden;
import dev.steward.health.HealthScored;
import dev.steward.lifecycle.SegmentEntered;
import dev.steward.lifecycle.SegmentLeft;
import dev.steward.lifecycle.StageChanged;
import java.time.Clock;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.context.event.EventListener;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Asks for account rules to be evaluated when what they read changes: in the transaction of the change, so that the
 * request is kept exactly when the change is (one insert per transaction, never an evaluation that holds up the
 * writer); the alerts job then evaluates the accounts asked for a thousand at a time. Every account was scored (the
 * daily re-score): one job for all of them, not a request each. After commit: a deleted account's states and history
 * are forgotten.
 */
@Component
class AlertListeners {

    private final AlertRequests requests;
    private final AlertRules rules;
    private final SchedulerClient jobs;
    private final OneTimeTask<AlertJobs.Reason> all;
    private final Clock clock;

    AlertListeners(
            AlertRequests requests,
            AlertRules rules,
            SchedulerClient jobs,
            OneTimeTask<AlertJobs.Reason> all,
            Clock clock) {
        this.requests = requests;
        this.rules = rules;
        this.jobs = jobs;
        this.all = all;
        this.clock = clock;
    }

    @EventListener
    void on(HealthScored scored) {
        if (scored.everyAccount()) {
            String reason = "every account scored for " + scored.day();
            jobs.scheduleIfNotExists(
                    all.instance(reason + " at " + clock.instant(), new AlertJobs.Reason(reason)), clock.instant());
        } else {
            requests.note(scored.accounts());
        }
    }

    /** Opportunities are not read by conditions; accounts, contracts, contacts and attributes may be. */
    @EventListener
    void on(AccountRecordsChanged changed) {
        if (!"opportunity".equals(changed.kind())) {
            requests.note(changed.accounts());
        }
    }

    @EventListener
    void on(HealthOverridden overridden) {
        requests.note(Set.of(overridden.account().value()));
    }

    @EventListener
    void on(SegmentEntered entered) {
        requests.note(ids(entered.accounts()));
    }

    @EventListener
    void on(SegmentLeft left) {
        requests.note(ids(left.accounts()));
    }

    @EventListener
    void on(StageChanged changed) {
        requests.note(changed.changes().stream()
                .map(change -> change.account().value())
                .collect(Collectors.toSet()));
    }

    @ApplicationModuleListener
    void on(AccountDeleted deleted) {
        rules.deleteAccount(deleted.account().value());
    }

    private static Set<UUID> ids(java.util.List<AccountId> accounts) {
        return accounts.stream().map(AccountId::value).collect(Collectors.toSet());
    }
}
