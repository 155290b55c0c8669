package dev.steward.ingest.warehouse;

import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import dev.steward.core.SealedColumn;
import dev.steward.ingest.sync.SyncRuns;
import java.time.Duration;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Warehouse pulls as db-scheduler jobs: {@value #PULL}, one per source (its id the instance, so that one pull of a
 * source runs at a time across instances; its data the trigger), and {@value #DUE}, every minute, which starts the
 * pulls whose time has come.
 */
@Configuration(proxyBeanMethods = false)
class WarehouseJobs {

    static final String PULL = "warehouse-pull";

    /** What a pull job holds: why it was started (its instance is the source's id). */
    record Pull(SyncRuns.Trigger trigger) {}

    static final String DUE = "warehouse-pulls-due";

    @Bean
    OneTimeTask<Pull> warehousePullTask(ObjectProvider<WarehouseSources> sources) {
        return Tasks.oneTime(PULL, Pull.class)
                .execute((instance, context) -> sources.getObject()
                        .pull(
                                UUID.fromString(instance.getId()),
                                instance.getData().trigger()));
    }

    @Bean
    RecurringTask<Void> warehousePullsDueTask(ObjectProvider<WarehouseSources> sources) {
        return Tasks.recurring(DUE, Schedules.fixedDelay(Duration.ofMinutes(1)))
                .execute((instance, context) -> sources.getObject().scheduleDue());
    }

    /** The credentials of pulled sources, sealed at rest. */
    @Bean
    SealedColumn pullConnectionSecrets() {
        return new SealedColumn("ingest_pull_connection", "source_id", "secret");
    }
}
