package dev.steward.playbook;

import dev.steward.activity.ActivityRecorded;
import dev.steward.core.AccountQueue;
import dev.steward.customer.AccountRecordsChanged;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Accounts whose tickets, survey responses or contacts changed and whose activity triggers wait to be looked at (see
 * {@link ActivityTriggers}). Noted in the transaction that changed the facts, so a request is stored with its facts or
 * not at all; taken by the playbook job on whichever instance runs it.
 */
@Component
class ActivityRequests {

    /** The kinds of activity that activity triggers read. */
    static final Set<String> KINDS = Set.of(ActivityRecorded.TICKET, ActivityRecorded.SURVEY_RESPONSE);

    private final AccountQueue queue;
    private final JdbcClient jdbc;

    ActivityRequests(JdbcClient jdbc) {
        this.queue = new AccountQueue(jdbc, "playbook_activity_request");
        this.jdbc = jdbc;
    }

    // Facts arrive by the thousand during a load, one event per account and kind. Listening in the publisher's thread
    // and writing once per transaction keeps them off the task executor and out of the event publication registry, as
    // the health module's re-score requests do.
    @EventListener
    void on(ActivityRecorded recorded) {
        if (KINDS.contains(recorded.kind())) {
            queue.note(Set.of(recorded.account().value()));
        }
    }

    @EventListener
    void on(AccountRecordsChanged changed) {
        if (AccountRecordsChanged.CONTACT.equals(changed.kind())) {
            queue.note(changed.accounts());
        }
    }

    void note(Set<UUID> accounts) {
        queue.note(accounts);
    }

    /** Takes (removes) up to {@code rows} of the oldest requests and returns their accounts. */
    Set<UUID> take(int rows) {
        return queue.take(rows);
    }

    void deleteAccount(UUID account) {
        jdbc.sql("delete from playbook_activity_request where account_id = ?")
                .param(account)
                .update();
    }
}
