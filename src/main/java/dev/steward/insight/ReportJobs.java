package dev.steward.insight;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import java.time.ZoneOffset;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The scheduled reports' job (db-scheduler, see {@code core.Jobs}), once across instances: at the start of every
 * minute, every schedule that is due is sent ({@value #DUE}).
 */
@Configuration(proxyBeanMethods = false)
class ReportJobs {

    static final String DUE = "insight-scheduled-reports";

    /**
     * The reports are looked up when the job first runs: they read the executive figures, whose backtests schedule
     * jobs themselves, which would otherwise make the scheduler depend on itself.
     */
    @Bean
    RecurringTask<Void> scheduledReportsTask(ObjectProvider<ScheduledReports> reports) {
        return Tasks.recurring(DUE, Schedules.cron("0 * * * * *", ZoneOffset.UTC))
                .execute((instance, context) -> reports.getObject()
                        .sendDue(() -> context.getSchedulerState().isShuttingDown()));
    }
}
