package dev.steward.health;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/** Asks for every account to be re-scored (a job, see {@link HealthJobs}) once a scorecard version is published. */
@Component
class RescoreOnPublish {

    static final String TASK = "health-published-rescore";

    private final SchedulerClient jobs;
    private final OneTimeTask<ScorecardPublished> task;

    RescoreOnPublish(SchedulerClient jobs, OneTimeTask<ScorecardPublished> task) {
        this.jobs = jobs;
        this.task = task;
    }

    @ApplicationModuleListener
    void on(ScorecardPublished published) {
        jobs.scheduleIfNotExists(task.schedulableInstance(published.name() + " v" + published.version(), published));
    }
}
