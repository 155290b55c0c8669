package dev.steward.core;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Runs the modules' recurring jobs (every {@link RecurringTask} bean) with db-scheduler: a job due at some time runs on
 * exactly one of the instances sharing the database, and a job whose instance died is picked up by another (after
 * four missed heartbeats of {@code steward.jobs.heartbeat-interval}). Each instance looks for due jobs every {@code
 * steward.jobs.polling-interval}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(JobsProperties.class)
class Jobs {

    @Bean(initMethod = "start", destroyMethod = "stop")
    @SuppressWarnings({"rawtypes", "unchecked"})
    Scheduler scheduler(DataSource dataSource, List<RecurringTask<?>> recurring, JobsProperties properties) {
        return Scheduler.create(dataSource)
                .startTasks((List) recurring)
                // Long jobs (the daily re-score) must not hold up the short frequent ones (applying Segment events).
                .threads(6)
                .pollingInterval(properties.pollingInterval())
                .heartbeatInterval(properties.heartbeatInterval())
                .missedHeartbeatsLimit(4)
                .build();
    }
}
