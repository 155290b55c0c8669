package dev.steward.customer;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Moves every account's current ARR and renewal date on with the calendar each night (a job that runs once across
 * instances, see {@code core.Jobs}): contracts start and end on dates, not on writes.
 */
@Configuration(proxyBeanMethods = false)
class DailyAccountTotals {

    private static final Logger log = LoggerFactory.getLogger(DailyAccountTotals.class);

    private final ContractManagement contracts;

    DailyAccountTotals(ContractManagement contracts) {
        this.contracts = contracts;
    }

    @Bean
    RecurringTask<Void> accountTotalsTask() {
        return Tasks.recurring("customer-daily-account-totals", Schedules.cron("0 5 0 * * *", ZoneOffset.UTC))
                .execute((instance, context) -> refresh());
    }

    void refresh() {
        int changed = contracts.refreshAccountTotals();
        log.info("Recomputed current ARR and renewal date; {} accounts changed", changed);
    }
}
