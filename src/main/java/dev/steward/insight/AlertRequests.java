package dev.steward.insight;

import dev.steward.core.AccountQueue;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Accounts whose health, fields, contracts, contacts, attributes, segments or stage changed and whose account rules
 * wait to be evaluated again (table {@code insight_alert_request}, see {@link AccountQueue}); taken by the alerts job in
 * the transaction that records what it decided.
 */
@Repository
class AlertRequests {

    private final AccountQueue queue;

    AlertRequests(JdbcClient jdbc) {
        this.queue = new AccountQueue(jdbc, "insight_alert_request");
    }

    void note(Set<UUID> accounts) {
        if (!accounts.isEmpty()) {
            queue.note(accounts);
        }
    }

    Set<UUID> take(int rows) {
        return queue.take(rows);
    }

    long waiting() {
        return queue.waiting();
    }
}
