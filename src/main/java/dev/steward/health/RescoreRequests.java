package dev.steward.health;

import dev.steward.activity.ActivityRecorded;
import dev.steward.customer.AccountRecordsChanged;
import dev.steward.usage.UsageRecorded;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Accounts whose facts changed and that wait to be re-scored. Noted in the transaction that changed the facts, so a
 * request is stored with its facts or not at all; taken by the re-score job (see {@link HealthJobs}) on whichever
 * instance runs it.
 */
@Component
class RescoreRequests {

    private final JdbcClient jdbc;

    RescoreRequests(JdbcClient jdbc) {
        this.jdbc = jdbc;
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
     * Contacts (champions) and contracts (seats, ARR, renewal dates) feed measures; opportunities do not. Writes of
     * the accounts' own fields wait for the daily re-score, as before they were announced.
     */
    @EventListener
    void on(AccountRecordsChanged changed) {
        if (!"opportunity".equals(changed.kind()) && !AccountRecordsChanged.ACCOUNT.equals(changed.kind())) {
            note(changed.accounts());
        }
    }

    /** Asks for these accounts to be re-scored, as part of the current transaction if there is one. */
    @SuppressWarnings("unchecked")
    void note(Set<UUID> accounts) {
        if (accounts.isEmpty()) {
            return;
        }
        if (!TransactionSynchronizationManager.isActualTransactionActive()
                || !TransactionSynchronizationManager.isSynchronizationActive()) {
            insert(accounts);
            return;
        }
        Set<UUID> noted = (Set<UUID>) TransactionSynchronizationManager.getResource(this);
        if (noted == null) {
            Set<UUID> batch = new HashSet<>();
            TransactionSynchronizationManager.bindResource(this, batch);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    insert(batch);
                }

                // An inner transaction of its own (REQUIRES_NEW) notes its accounts apart, written when it commits.
                @Override
                public void suspend() {
                    TransactionSynchronizationManager.unbindResource(RescoreRequests.this);
                }

                @Override
                public void resume() {
                    TransactionSynchronizationManager.bindResource(RescoreRequests.this, batch);
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(RescoreRequests.this);
                }
            });
            noted = batch;
        }
        noted.addAll(accounts);
    }

    private void insert(Set<UUID> accounts) {
        jdbc.sql("insert into health_rescore_request (account_id) select unnest(:accounts)")
                .param("accounts", new SqlArrayValue("uuid", accounts.toArray()))
                .update();
    }

    /**
     * Takes (removes) up to {@code rows} of the oldest requests and returns their accounts. A request written while
     * this runs, by a transaction that has not committed yet, stays for the next time.
     */
    Set<UUID> take(int rows) {
        return new LinkedHashSet<>(
                jdbc.sql("""
                        delete from health_rescore_request
                         where id in (select id from health_rescore_request order by id limit :rows)
                        returning account_id""").param("rows", rows).query(UUID.class).list());
    }

    /** Takes every request: for when every account is about to be re-scored anyway. */
    void takeAll() {
        jdbc.sql("delete from health_rescore_request").update();
    }
}
