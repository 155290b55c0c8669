package dev.steward.playbook;

import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The playbooks' jobs (db-scheduler, see {@code core.Jobs}), each once across instances: the daily evaluation of the
 * time-based triggers; one playbook's evaluation right after it is published; every few seconds, the triggers that
 * follow activity for the accounts whose tickets, survey responses or contacts changed; and, every minute, overdue CTAs
 * escalated and snoozed ones woken.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PlaybookProperties.class)
class PlaybookJobs {

    static final String DAILY = "playbooks-daily";
    static final String PUBLISHED = "playbooks-published";
    static final String FOLLOW_UP = "ctas-follow-up";
    static final String ACTIVITY = "playbooks-activity";

    /** The playbook just published, by name. */
    record Published(String name) {}

    @Bean
    RecurringTask<Void> dailyPlaybooks(PlaybookTriggers triggers, PlaybookProperties properties) {
        return Tasks.recurring(DAILY, Schedules.daily(properties.timeZone(), properties.dailyAt()))
                .execute((instance, context) -> triggers.evaluateDaily());
    }

    @Bean
    OneTimeTask<Published> publishedPlaybook(PlaybookTriggers triggers) {
        return Tasks.oneTime(PUBLISHED, Published.class)
                .onFailure(new FailureHandler.ExponentialBackoffFailureHandler<>(Duration.ofSeconds(10)))
                .execute((instance, context) ->
                        triggers.evaluate(instance.getData().name()));
    }

    @Bean
    RecurringTask<Void> activityPlaybooks(ActivityTriggers triggers, PlaybookProperties properties) {
        return Tasks.recurring(ACTIVITY, Schedules.fixedDelay(properties.activityInterval()))
                .execute((instance, context) -> triggers.fireRequested());
    }

    @Bean
    RecurringTask<Void> followUpCtas(CtaWork work, PlaybookProperties properties) {
        return Tasks.recurring(FOLLOW_UP, Schedules.fixedDelay(properties.escalationInterval()))
                .execute((instance, context) -> {
                    work.wakeSnoozed();
                    work.escalateOverdue();
                });
    }
}
