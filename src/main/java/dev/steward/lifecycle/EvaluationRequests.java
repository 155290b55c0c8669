package dev.steward.lifecycle;

import dev.steward.core.NotedBeforeCommit;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/**
 * Accounts whose segment membership waits to be decided again, because their fields, contracts, contacts,
 * attributes, score or override changed. Noted in the transaction that made the change (so a request is stored with
 * it or not at all), taken by the membership job in the transaction that records its decisions.
 */
@Repository
class EvaluationRequests {

    private final JdbcClient jdbc;
    private final NotedBeforeCommit<UUID> noted = new NotedBeforeCommit<>(this::insert);

    EvaluationRequests(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Asks for these accounts' membership to be decided again, with the current transaction if there is one. */
    void note(Set<UUID> accounts) {
        noted.note(accounts);
    }

    private void insert(Set<UUID> accounts) {
        jdbc.sql("insert into account_segment_evaluation_request (account_id) select unnest(:accounts)")
                .param("accounts", new SqlArrayValue("uuid", accounts.toArray()))
                .update();
    }

    /**
     * Takes (removes) up to {@code rows} of the oldest requests, in the caller's transaction, and returns their
     * accounts. A request written by a transaction that has not committed yet stays for the next time.
     */
    Set<UUID> take(int rows) {
        return new LinkedHashSet<>(
                jdbc.sql("""
                        delete from account_segment_evaluation_request
                         where id in (select id from account_segment_evaluation_request order by id limit :rows)
                        returning account_id""").param("rows", rows).query(UUID.class).list());
    }

    /** Takes every request: for when every account is about to be evaluated anyway. */
    void takeAll() {
        jdbc.sql("delete from account_segment_evaluation_request").update();
    }

    /** How many requests wait. */
    long waiting() {
        return jdbc.sql("select count(*) from account_segment_evaluation_request")
                .query(Long.class)
                .single();
    }
}
