package dev.steward.ingest.salesforce;

import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import dev.steward.ingest.sync.SyncRuns;
import java.time.Duration;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Salesforce pulls as db-scheduler jobs: {@value #PULL}, one per source (its id the instance, so that one pull of a
 * source runs at a time across instances; its data why it was started), and {@value #DUE}, every minute, which starts
 * the pulls whose time has come.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SalesforceProperties.class)
class SalesforceJobs {

    static final String PULL = "salesforce-pull";
    static final String DUE = "salesforce-pulls-due";

    /** What a pull job holds: why it was started (its instance is the source's id). */
    record Pull(SyncRuns.Trigger trigger) {}

    @Bean
    OneTimeTask<Pull> salesforcePullTask(ObjectProvider<SalesforceSources> sources) {
        return Tasks.oneTime(PULL, Pull.class)
                .execute((instance, context) -> sources.getObject()
                        .pull(
                                UUID.fromString(instance.getId()),
                                instance.getData().trigger()));
    }

    @Bean
    RecurringTask<Void> salesforcePullsDueTask(ObjectProvider<SalesforceSources> sources) {
        return Tasks.recurring(DUE, Schedules.fixedDelay(Duration.ofMinutes(1)))
                .execute((instance, context) -> sources.getObject().scheduleDue());
    }
}
