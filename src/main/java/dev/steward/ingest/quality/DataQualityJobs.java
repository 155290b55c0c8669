package dev.steward.ingest.quality;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Rebuilds the data-quality snapshot every {@code steward.data-quality.refresh-interval} (10 minutes by default), as a
 * db-scheduler recurring task: once across all instances sharing the database.
 */
@Configuration(proxyBeanMethods = false)
class DataQualityJobs {

    static final String REFRESH = "data-quality-refresh";

    @Bean
    RecurringTask<Void> dataQualityRefreshTask(DataQuality quality, DataQualityProperties properties) {
        return Tasks.recurring(REFRESH, Schedules.fixedDelay(properties.refreshInterval()))
                .execute((instance, context) -> quality.refreshOnSchedule());
    }
}
