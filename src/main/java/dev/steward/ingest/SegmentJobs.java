package dev.steward.ingest;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The tracking API's background jobs, db-scheduler recurring tasks that run on one instance at a time however many
 * share the database: applying stored events ({@code steward.ingest.process-interval} after the previous run ended,
 * and at once when a request stores new events on this instance), and dropping raw events past their retention
 * every hour ({@code steward.ingest.retention-cron}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IngestProperties.class)
class SegmentJobs {

    static final String PROCESSING = "segment-processing";
    static final String RETENTION = "segment-retention";

    /** Requests that store events wake this instance's scheduler at most this often. */
    private static final long WAKE_AT_MOST_EVERY_NANOS = 100_000_000L;

    private static final Logger log = LoggerFactory.getLogger(SegmentJobs.class);

    private final ObjectProvider<Scheduler> scheduler;
    private final AtomicLong lastWake = new AtomicLong(System.nanoTime() - WAKE_AT_MOST_EVERY_NANOS);

    SegmentJobs(ObjectProvider<Scheduler> scheduler) {
        this.scheduler = scheduler;
    }

    @Bean
    RecurringTask<Void> segmentProcessingTask(SegmentProcessor processor, IngestProperties properties) {
        return Tasks.recurring(PROCESSING, Schedules.fixedDelay(properties.processInterval()))
                .execute((instance, context) -> processor.processPending());
    }

    @Bean
    RecurringTask<Void> segmentRetentionTask(SegmentRetention retention, IngestProperties properties) {
        return Tasks.recurring(RETENTION, Schedules.cron(properties.retentionCron(), ZoneOffset.UTC))
                .execute((instance, context) -> {
                    int dropped = retention.removeExpired();
                    if (dropped > 0) {
                        log.info("Dropped {} day(s) of raw Segment events past retention", dropped);
                    }
                });
    }

    /**
     * Asks this instance's scheduler to look for due jobs now rather than at its next poll, so that events just
     * stored are applied within moments when the processor is due; a run already under way on any instance takes
     * them in its next round.
     */
    void soon() {
        long now = System.nanoTime();
        long last = lastWake.get();
        if (now - last < WAKE_AT_MOST_EVERY_NANOS || !lastWake.compareAndSet(last, now)) {
            return;
        }
        Scheduler running = scheduler.getIfAvailable();
        if (running != null) {
            running.triggerCheckForDueExecutions();
        }
    }
}
