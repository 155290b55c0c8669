package dev.steward.lifecycle;

import dev.steward.core.AccountQueue;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Accounts whose segment membership and stage wait to be decided again, because their fields, contracts, contacts,
 * attributes, milestones, score or override changed (table {@code account_segment_evaluation_request}, see
 * {@link AccountQueue}); taken by the membership job in the transaction that records its decisions.
 */
@Repository
class EvaluationRequests {

    private final AccountQueue queue;

    EvaluationRequests(JdbcClient jdbc) {
        this.queue = new AccountQueue(jdbc, "account_segment_evaluation_request");
    }

    void note(Set<UUID> accounts) {
        queue.note(accounts);
    }

    Set<UUID> take(int rows) {
        return queue.take(rows);
    }

    long waiting() {
        return queue.waiting();
    }
}
