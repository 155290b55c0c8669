package dev.steward.core;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.exceptions.SerializationException;
import com.github.kagkarlsson.scheduler.serializer.Serializer;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs every background job of every module with db-scheduler, so that with any number of instances on one database
 * each job runs once, on whichever instance takes it, and survives a restart. A module declares a job as a bean:
 *
 * <ul>
 *   <li>a {@link RecurringTask} for work due on a schedule (the daily re-score): it runs once per due time;
 *   <li>any other {@link Task}, such as {@code Tasks.oneTime(...)} or {@code Tasks.custom(...)}, for work asked for
 *       now or later (a backtest): the module schedules an instance through the
 *       {@link com.github.kagkarlsson.scheduler.SchedulerClient} bean, with its data as a record (stored as JSON).
 *       Scheduled inside a transaction, the instance is stored with that transaction's writes or not at all.
 * </ul>
 *
 * <p>Each instance looks for due jobs every {@code steward.jobs.polling-interval} and runs up to
 * {@code steward.jobs.threads} at once. A running job proves its instance alive every
 * {@code steward.jobs.heartbeat-interval}; after four missed heartbeats (its instance died) another instance runs it
 * again. When an instance stops, it waits up to {@code steward.jobs.shutdown-max-wait} for running jobs; a long job
 * checks {@code ExecutionContext.getSchedulerState().isShuttingDown()} and hands itself back to be run again.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(JobsProperties.class)
class Jobs {

    @Bean(initMethod = "start", destroyMethod = "stop")
    @SuppressWarnings({"rawtypes", "unchecked"})
    Scheduler scheduler(DataSource dataSource, List<Task<?>> tasks, JobsProperties properties) {
        List<Task<?>> recurring =
                tasks.stream().filter(task -> task instanceof RecurringTask<?>).toList();
        List<Task<?>> others = tasks.stream()
                .filter(task -> !(task instanceof RecurringTask<?>))
                .toList();
        return Scheduler.create(new TransactionAwareDataSourceProxy(dataSource), others)
                .startTasks((List) recurring)
                .serializer(new JsonTaskData())
                // Long jobs (the daily re-score, a backtest) must not hold up the short frequent ones (applying
                // Segment events).
                .threads(properties.threads())
                .pollingInterval(properties.pollingInterval())
                .heartbeatInterval(properties.heartbeatInterval())
                .missedHeartbeatsLimit(4)
                .shutdownMaxWait(properties.shutdownMaxWait())
                .build();
    }

    /** Task data as JSON: readable in the table, and independent of Java serialization's class versions. */
    private static final class JsonTaskData implements Serializer {

        private final JsonMapper json = JsonMapper.builder().build();

        @Override
        public byte[] serialize(Object data) {
            if (data == null) {
                return null;
            }
            try {
                return json.writeValueAsBytes(data);
            } catch (JacksonException e) {
                throw new SerializationException("Cannot write task data " + data, e);
            }
        }

        @Override
        public <T> T deserialize(Class<T> type, byte[] data) {
            if (data == null) {
                return null;
            }
            try {
                return json.readValue(data, type);
            } catch (JacksonException e) {
                throw new SerializationException("Cannot read task data as " + type.getName(), e);
            }
        }
    }
}
