package dev.steward.usage;

import dev.steward.customer.AccountDeleted;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/** Removes a deleted account's usage; the event publication registry retries this if it fails. */
@Component
class AccountUsageCleanup {

    private final JdbcClient jdbc;

    AccountUsageCleanup(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @ApplicationModuleListener
    void on(AccountDeleted deleted) {
        jdbc.sql("delete from usage_daily where account_id = ?")
                .param(deleted.account().value())
                .update();
    }
}
