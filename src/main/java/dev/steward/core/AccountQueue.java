package dev.steward.core;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;

/**
 * A module's queue of accounts whose data changed and that wait for its background job (to be re-scored, to have
 * their segments and stage decided again): a table {@code (id bigint generated always as identity primary key,
 * account_id uuid not null)}. Accounts are noted in the transaction of the change, written just before it commits
 * (see {@link NotedBeforeCommit}), so a request is kept exactly when the change is; the job takes the oldest rows,
 * ideally in the transaction that does the work, so that a crash loses none.
 */
public final class AccountQueue {

    private static final Pattern TABLE = Pattern.compile("[a-z_]+");

    private final JdbcClient jdbc;
    private final String table;
    private final NotedBeforeCommit<UUID> noted = new NotedBeforeCommit<>(this::insert);

    public AccountQueue(JdbcClient jdbc, String table) {
        if (!TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("Not a table name: " + table);
        }
        this.jdbc = jdbc;
        this.table = table;
    }

    /** Asks for these accounts to be handled, with the current transaction if there is one. */
    public void note(Set<UUID> accounts) {
        noted.note(accounts);
    }

    /**
     * Takes (removes) up to {@code rows} of the oldest requests and returns their accounts. A request written by a
     * transaction that has not committed yet stays for the next time.
     */
    public Set<UUID> take(int rows) {
        return new LinkedHashSet<>(jdbc.sql("delete from " + table + " where id in (select id from " + table
                        + " order by id limit :rows) returning account_id")
                .param("rows", rows)
                .query(UUID.class)
                .list());
    }

    /** Takes every request: for when every account is about to be handled anyway. */
    public void takeAll() {
        jdbc.sql("delete from " + table).update();
    }

    /** How many requests wait. */
    public long waiting() {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }

    private void insert(Set<UUID> accounts) {
        jdbc.sql("insert into " + table + " (account_id) select unnest(:accounts)")
                .param("accounts", new SqlArrayValue("uuid", accounts.toArray()))
                .update();
    }
}
