package dev.steward.insight;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import dev.steward.notify.EmailUndelivered;
import java.time.ZoneOffset;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.modulith.events.ApplicationModuleListener;

/**
 * The scheduled reports' job (db-scheduler, see {@code core.Jobs}), once across instances: at the start of every
 * minute, every schedule that is due is sent ({@value #DUE}). And the emails the outbox gave up on are reported to
 * their schedules' owners.
 */
@Configuration(proxyBeanMethods = false)
class ReportJobs {

    static final String DUE = "insight-scheduled-reports";

    private final ScheduledReports reports;

    ReportJobs(ScheduledReports reports) {
        this.reports = reports;
    }

    @Bean
    RecurringTask<Void> scheduledReportsTask() {
        return Tasks.recurring(DUE, Schedules.cron("0 * * * * *", ZoneOffset.UTC))
                .execute((instance, context) ->
                        reports.sendDue(() -> context.getSchedulerState().isShuttingDown()));
    }

    @ApplicationModuleListener
    void on(EmailUndelivered undelivered) {
        reports.undelivered(
                undelivered.delivery(), undelivered.recipient(), undelivered.attempts(), undelivered.reason());
    }
}
