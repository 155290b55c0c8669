package dev.steward.outreach;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The journeys' jobs (db-scheduler, see {@code core.Jobs}), each once across instances: every minute
 * ({@code steward.outreach.advance-interval}) the contacts whose next step is due are advanced; every day at
 * {@code steward.outreach.daily-at} the renewal triggers enrol the accounts renewing within their days, and measure
 * and event triggers are evaluated for every account (an event not done in N days crosses with time); every minute
 * ({@code steward.outreach.reply-poll-interval}) the reply mailbox is read, when one is set.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OutreachProperties.class)
class JourneyJobs {

    static final String ADVANCE = "outreach-advance";
    static final String DAILY = "outreach-daily";
    static final String REPLIES = "outreach-replies";

    @Bean
    RecurringTask<Void> advanceEmailJourneys(JourneyEngine engine, OutreachProperties properties) {
        return Tasks.recurring(ADVANCE, Schedules.fixedDelay(properties.advanceInterval()))
                .execute((instance, context) -> engine.advanceDue());
    }

    @Bean
    RecurringTask<Void> readReplyMailbox(ReplyMailbox mailbox, OutreachProperties properties) {
        return Tasks.recurring(REPLIES, Schedules.fixedDelay(properties.replyPollInterval()))
                .execute((instance, context) -> mailbox.poll());
    }

    @Bean
    RecurringTask<Void> dailyEmailJourneys(JourneyEngine engine, OutreachProperties properties) {
        return Tasks.recurring(DAILY, Schedules.daily(properties.timeZone(), properties.dailyAt()))
                .execute((instance, context) -> {
                    engine.enterRenewals();
                    engine.enterCrossings(null);
                });
    }
}
