package dev.steward.ingest;

import dev.steward.customer.AccountDeleted;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Removes a deleted account's Segment rollups and its row of the data-quality snapshot (which the next refresh would
 * drop too); the event publication registry retries this if it fails.
 */
@Component
class AccountRollupCleanup {

    private final JdbcClient jdbc;

    AccountRollupCleanup(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @ApplicationModuleListener
    void on(AccountDeleted deleted) {
        jdbc.sql("delete from segment_usage_daily where account_id = ?")
                .param(deleted.account().value())
                .update();
        jdbc.sql("delete from segment_active_user where account_id = ?")
                .param(deleted.account().value())
                .update();
        jdbc.sql("delete from ingest_account_freshness where account_id = ?")
                .param(deleted.account().value())
                .update();
    }
}
