package dev.steward.health;

import dev.steward.activity.ActivityRecorded;
import dev.steward.core.AccountQueue;
import dev.steward.customer.AccountRecordsChanged;
import dev.steward.customer.AccountsCreated;
import dev.steward.usage.UsageRecorded;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Accounts whose facts changed and that wait to be re-scored. Noted in the transaction that changed the facts, so a
 * request is stored with its facts or not at all; taken by the re-score job (see {@link HealthJobs}) on whichever
 * instance runs it.
 */
@Component
class RescoreRequests {

    private final AccountQueue queue;

    RescoreRequests(JdbcClient jdbc) {
        this.queue = new AccountQueue(jdbc, "health_rescore_request");
    }

    // New facts arrive by the thousand during a load, one event per account and write. Listening in the publisher's
    // thread and writing once per transaction keeps them off the task executor and out of the event publication
    // registry, and costs one insert per transaction, just before it commits.
    @EventListener
    void on(ActivityRecorded recorded) {
        if (!HealthTimeline.KIND.equals(recorded.kind())) {
            note(Set.of(recorded.account().value()));
        }
    }

    @EventListener
    void on(UsageRecorded recorded) {
        note(recorded.accounts());
    }

    /**
     * The accounts' own fields decide which scorecard applies (a new tier can put an account under another one) and
     * measures read them; contacts (champions) and contracts (seats, ARR, renewal dates) feed measures; opportunities
     * do not. A bulk write (an import, the demo load) announces its accounts once per transaction, noted in one insert.
     */
    @EventListener
    void on(AccountRecordsChanged changed) {
        if (!"opportunity".equals(changed.kind())) {
            note(changed.accounts());
        }
    }

    /**
     * A new account is scored (or, when no published scorecard applies to it, told why not) within seconds, whatever
     * created it, rather than at the next daily re-score: it may have a tier but no facts yet.
     */
    @EventListener
    void on(AccountsCreated created) {
        note(created.accounts());
    }

    /** Asks for these accounts to be re-scored, as part of the current transaction if there is one. */
    void note(Set<UUID> accounts) {
        queue.note(accounts);
    }

    /**
     * Takes (removes) up to {@code rows} of the oldest requests and returns their accounts. A request written while
     * this runs, by a transaction that has not committed yet, stays for the next time.
     */
    Set<UUID> take(int rows) {
        return queue.take(rows);
    }

    /** Takes every request: for when every account is about to be re-scored anyway. */
    void takeAll() {
        queue.takeAll();
    }
}
