package dev.steward.notify;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Asks for deliveries to be attempted now: a job (db-scheduler) stored in the caller's transaction, so that it exists
 * exactly when the deliveries do, and survives a crash or restart; after commit this instance looks for it at once
 * instead of at its next poll.
 */
@Component
class DeliveryRequests {

    private final ObjectProvider<SchedulerClient> scheduler;
    private final OneTimeTask<NotifyJobs.Due> task;

    /**
     * The scheduler is looked up when first needed: it is made from every module's jobs, and a job (a playbook's) may
     * itself notify people, which would otherwise make the scheduler depend on itself.
     */
    DeliveryRequests(ObjectProvider<SchedulerClient> scheduler, OneTimeTask<NotifyJobs.Due> task) {
        this.scheduler = scheduler;
        this.task = task;
    }

    void deliverSoon(List<UUID> deliveries) {
        if (deliveries.isEmpty()) {
            return;
        }
        SchedulerClient jobs = scheduler.getObject();
        jobs.scheduleIfNotExists(
                task.schedulableInstance(deliveries.get(0).toString(), new NotifyJobs.Due(List.copyOf(deliveries))));
        if (jobs instanceof Scheduler running) {
            if (TransactionSynchronizationManager.isSynchronizationActive()) {
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        running.triggerCheckForDueExecutions();
                    }
                });
            } else {
                running.triggerCheckForDueExecutions();
            }
        }
    }
}
