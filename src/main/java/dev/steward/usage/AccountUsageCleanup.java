package dev.steward.usage;

import dev.steward.customer.AccountDeleted;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/** Removes a deleted account's usage; the event publication registry retries this if it fails. */
@Component
class AccountUsageCleanup {

    private final JdbcClient jdbc;
    private final UsageMonths months;

    AccountUsageCleanup(JdbcClient jdbc, UsageMonths months) {
        this.jdbc = jdbc;
        this.months = months;
    }

    @ApplicationModuleListener
    void on(AccountDeleted deleted) {
        jdbc.sql("delete from usage_daily where account_id = ?")
                .param(deleted.account().value())
                .update();
        months.delete(deleted.account().value());
    }
}
