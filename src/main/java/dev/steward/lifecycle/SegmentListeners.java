package dev.steward.lifecycle;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import dev.steward.customer.AccountDeleted;
import dev.steward.customer.AccountRecordsChanged;
import dev.steward.health.HealthOverridden;
import dev.steward.health.HealthScored;
import java.time.Clock;
import java.util.Set;
import org.springframework.context.event.EventListener;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Keeps membership current. In the transaction of the change, so that the request is kept exactly when the change is:
 * every account once a segment is published or every account was scored (a job); the accounts whose fields,
 * contracts, contacts or attributes changed or that were scored or overridden (a request, decided within a second
 * or so by the membership job). After commit (a Spring Modulith listener): none of a deleted account.
 *
 * <p>Nothing here waits for other work: a burst of writes during a load costs one insert per transaction, never a
 * pooled connection held while evaluations run one at a time.
 */
@Component
class SegmentListeners {

    private final EvaluationRequests requests;
    private final SegmentEvaluation evaluation;
    private final SegmentMemberships memberships;
    private final AccountStages stages;
    private final AccountMilestones milestones;
    private final AccountOwnerships ownerships;
    private final SchedulerClient jobs;
    private final OneTimeTask<MembershipJobs.Reason> evaluateAll;
    private final Clock clock;

    SegmentListeners(
            EvaluationRequests requests,
            SegmentEvaluation evaluation,
            SegmentMemberships memberships,
            AccountStages stages,
            AccountMilestones milestones,
            AccountOwnerships ownerships,
            SchedulerClient jobs,
            OneTimeTask<MembershipJobs.Reason> evaluateAll,
            Clock clock) {
        this.requests = requests;
        this.evaluation = evaluation;
        this.memberships = memberships;
        this.stages = stages;
        this.milestones = milestones;
        this.ownerships = ownerships;
        this.jobs = jobs;
        this.evaluateAll = evaluateAll;
        this.clock = clock;
    }

    @EventListener
    void on(SegmentPublished published) {
        everyAccount(published.name() + " v" + published.version() + " published");
    }

    @EventListener
    void on(JourneyPublished published) {
        everyAccount("journey v" + published.version() + " published");
    }

    @EventListener
    void on(AssignmentPublished published) {
        everyAccount("assignment rules v" + published.version() + " published");
    }

    @EventListener
    void on(HealthScored scored) {
        if (scored.everyAccount()) {
            everyAccount("every account scored for " + scored.day());
        } else {
            requests.note(scored.accounts());
        }
    }

    /** Opportunities are not read by conditions; accounts, contracts (ARR, renewal), contacts and attributes may be. */
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

    /** After an evaluation that read the account before it was deleted has recorded what it decided. */
    @ApplicationModuleListener
    void on(AccountDeleted deleted) {
        evaluation.lockMembership();
        memberships.deleteAccount(deleted.account().value());
        stages.deleteAccount(deleted.account().value());
        milestones.deleteAccount(deleted.account().value());
        ownerships.deleteAccount(deleted.account().value());
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
