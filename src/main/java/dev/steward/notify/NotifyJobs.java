package dev.steward.notify;

import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Delivery's jobs (db-scheduler, see {@code core.Jobs}), each run once across instances: the deliveries a transaction
 * queued, at once after it commits ({@value #DELIVER}, stored with them); every due delivery, retries and whatever
 * a crash left, every {@code steward.notify.sweep-interval} ({@value #SWEEP}); and the daily digest at
 * {@code steward.notify.digest-time} UTC ({@value #DIGEST}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({NotifyProperties.class, MailSettings.class})
class NotifyJobs {

    static final String DELIVER = "notify-deliver";
    static final String SWEEP = "notify-sweep";
    static final String DIGEST = "notify-daily-digest";

    /** The deliveries one transaction queued. */
    record Due(List<UUID> deliveries) {}

    @Bean
    OneTimeTask<Due> notifyDeliverTask(Deliveries deliveries) {
        return Tasks.oneTime(DELIVER, Due.class)
                .execute((instance, context) ->
                        deliveries.deliver(instance.getData().deliveries()));
    }

    @Bean
    RecurringTask<Void> notifySweepTask(Deliveries deliveries, NotifyProperties properties) {
        return Tasks.recurring(SWEEP, Schedules.fixedDelay(properties.sweepInterval()))
                .execute((instance, context) ->
                        deliveries.deliverDue(() -> context.getSchedulerState().isShuttingDown()));
    }

    @Bean
    RecurringTask<Void> notifyDigestTask(DailyDigest digest, NotifyProperties properties) {
        return Tasks.recurring(DIGEST, Schedules.daily(ZoneOffset.UTC, properties.digestTime()))
                .execute((instance, context) -> digest.send());
    }
}
