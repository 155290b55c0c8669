package dev.steward.lifecycle;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import dev.steward.customer.AccountDeleted;
import dev.steward.customer.AccountRecordsChanged;
import dev.steward.health.HealthOverridden;
import dev.steward.health.HealthScored;
import java.time.Clock;
import java.util.Set;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Keeps membership current after commit (Spring Modulith listeners, retried by the event publication registry if one
 * fails): every account once a segment is published or every account was scored; within seconds the accounts whose
 * fields, contracts or attributes changed or that were scored; and none of a deleted account.
 */
@Component
class SegmentListeners {

    private final SegmentEvaluation evaluation;
    private final SegmentMemberships memberships;
    private final SchedulerClient jobs;
    private final OneTimeTask<MembershipJobs.Reason> evaluateAll;
    private final Clock clock;

    SegmentListeners(
            SegmentEvaluation evaluation,
            SegmentMemberships memberships,
            SchedulerClient jobs,
            OneTimeTask<MembershipJobs.Reason> evaluateAll,
            Clock clock) {
        this.evaluation = evaluation;
        this.memberships = memberships;
        this.jobs = jobs;
        this.evaluateAll = evaluateAll;
        this.clock = clock;
    }

    @ApplicationModuleListener
    void on(SegmentPublished published) {
        everyAccount(published.name() + " v" + published.version() + " published");
    }

    @ApplicationModuleListener
    void on(HealthScored scored) {
        if (scored.everyAccount()) {
            everyAccount("every account scored for " + scored.day());
        } else {
            evaluation.evaluate(scored.accounts());
        }
    }

    /** Opportunities are not read by conditions; accounts, contracts (ARR, renewal), contacts and attributes may be. */
    @ApplicationModuleListener
    void on(AccountRecordsChanged changed) {
        if (!"opportunity".equals(changed.kind())) {
            evaluation.evaluate(changed.accounts());
        }
    }

    @ApplicationModuleListener
    void on(HealthOverridden overridden) {
        evaluation.evaluate(Set.of(overridden.account().value()));
    }

    @ApplicationModuleListener
    void on(AccountDeleted deleted) {
        memberships.deleteAccount(deleted.account().value());
    }

    /**
     * Asks for every account to be evaluated. Each reason is a job of its own: one that had already read the published
     * segments when this one was published would not see it.
     */
    private void everyAccount(String reason) {
        jobs.scheduleIfNotExists(
                evaluateAll.instance(reason + " at " + clock.instant(), new MembershipJobs.Reason(reason)),
                clock.instant());
    }
}
