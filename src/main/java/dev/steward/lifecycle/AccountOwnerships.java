package dev.steward.lifecycle;

import dev.steward.core.SqlArrays;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/**
 * Accounts' owners as facts: an account came to an owner at a time, by a territory's rule, a balancing move, a person's
 * hand or the account record, and left them at a later one (open while they own it); a pinned owner is left in place
 * by the rules (assigned by hand, or changed on the record while rules were in force). Written only under
 * the membership lock (see {@link SegmentEvaluation}).
 */
@Repository
class AccountOwnerships {

    private static final String COLUMNS =
            "select account_id, owner_id, territory, entered_at, left_at, cause, assigned_by, reason, pinned"
                    + " from account_ownership";

    private final JdbcClient jdbc;

    AccountOwnerships(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * One owner's time with an account; {@code leftAt} is {@code null} while they own it. {@code territory} is the
     * territory the assignment rules put it in ({@code null} for an assignment by hand or on the record).
     */
    record Ownership(
            UUID account,
            UUID owner,
            String territory,
            Instant enteredAt,
            Instant leftAt,
            String cause,
            String assignedBy,
            String reason,
            boolean pinned) {}

    /** The current owner of each of these accounts; accounts without one are left out. */
    Map<UUID, Ownership> current(Collection<UUID> accounts) {
        Map<UUID, Ownership> current = new HashMap<>();
        jdbc.sql(COLUMNS + " where left_at is null and account_id = any(?)")
                .param(new SqlArrayValue("uuid", accounts.toArray()))
                .query(AccountOwnerships::ownership)
                .list()
                .forEach(o -> current.put(o.account(), o));
        return current;
    }

    /** Every current ownership: what balancing moves and workload read. */
    List<Ownership> current() {
        return jdbc.sql(COLUMNS + " where left_at is null")
                .query(AccountOwnerships::ownership)
                .list();
    }

    /** The current ownerships of these owners. */
    List<Ownership> ofOwner(UUID owner) {
        return jdbc.sql(COLUMNS + " where left_at is null and owner_id = ?")
                .param(owner)
                .query(AccountOwnerships::ownership)
                .list();
    }

    /** How many accounts each owner has in each territory now: territory, then owner, then count. */
    Map<String, Map<UUID, Integer>> countsByTerritory() {
        Map<String, Map<UUID, Integer>> counts = new HashMap<>();
        jdbc.sql("""
                        select territory, owner_id, count(*) as accounts from account_ownership
                         where left_at is null and territory is not null group by territory, owner_id""").query(rs -> {
            counts.computeIfAbsent(rs.getString("territory"), k -> new HashMap<>())
                    .put(rs.getObject("owner_id", UUID.class), rs.getInt("accounts"));
        });
        return counts;
    }

    /** Every owner the account had, newest first. */
    List<Ownership> history(UUID account) {
        return jdbc.sql(COLUMNS + " where account_id = ? order by entered_at desc, id desc")
                .param(account)
                .query(AccountOwnerships::ownership)
                .list();
    }

    /**
     * An owner change as the account timeline shows it: coming to an owner ({@code leaving} false; {@code previous} is
     * the owner whose time ended as it began, {@code null} for none), or an owner's time ending with nobody after them.
     * {@code id} is derived from the row, so that changes at one instant keep the table's order: see {@link #timeline}.
     */
    record Change(UUID id, Instant at, boolean leaving, UUID previous, Ownership ownership) {}

    /**
     * Up to {@code limit} of the account's owner changes, newest first, after a position of the timeline ({@code null}:
     * from the newest), in one query on the account's ownerships (index {@code account_ownership_history}). A change's
     * id is {@code 00000000-0000-0002-} followed by the row's id times two, plus one for leaving: ownerships have
     * numbers, not uuids, and an ownership's two changes need an id each.
     */
    List<Change> timeline(UUID account, Instant after, UUID afterId, int limit) {
        String upTo = after == null ? "" : " and o.entered_at <= :after";
        String columns = "o.account_id, o.owner_id, o.territory, o.entered_at, o.left_at, o.cause, o.assigned_by,"
                + " o.reason, o.pinned";
        Map<String, Object> params = new HashMap<>();
        params.put("account", account);
        params.put("limit", limit);
        if (after != null) {
            params.put("after", Timestamp.from(after));
            params.put("afterId", afterId);
        }
        return jdbc.sql("select * from ("
                        + " select ('0000000000000002' || lpad(to_hex(o.id * 2), 16, '0'))::uuid as change_id,"
                        + " o.entered_at as at, false as leaving,"
                        + " (select p.owner_id from account_ownership p where p.account_id = o.account_id"
                        + " and p.left_at = o.entered_at and p.id <> o.id order by p.id desc limit 1) as previous, "
                        + columns
                        + " from account_ownership o where o.account_id = :account" + upTo
                        + " union all"
                        + " select ('0000000000000002' || lpad(to_hex(o.id * 2 + 1), 16, '0'))::uuid,"
                        + " o.left_at, true, null::uuid, " + columns
                        + " from account_ownership o where o.account_id = :account and o.left_at is not null" + upTo
                        + " and not exists (select 1 from account_ownership n"
                        + " where n.account_id = o.account_id and n.entered_at = o.left_at)"
                        + ") e"
                        + (after == null ? "" : " where (at, change_id) < (:after, :afterId)")
                        + " order by at desc, change_id desc limit :limit")
                .params(params)
                .query((rs, row) -> new Change(
                        rs.getObject("change_id", UUID.class),
                        rs.getTimestamp("at").toInstant(),
                        rs.getBoolean("leaving"),
                        rs.getObject("previous", UUID.class),
                        ownership(rs, row)))
                .list();
    }

    /** Ends these accounts' current ownerships, where they have one. */
    void leave(Collection<UUID> accounts, Instant at) {
        if (accounts.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        update account_ownership set left_at = greatest(:at, entered_at)
                         where account_id = any(:accounts) and left_at is null""")
                .param("at", Timestamp.from(at))
                .param("accounts", new SqlArrayValue("uuid", accounts.toArray()))
                .update();
    }

    /** Moves current ownerships to other territories without a change of owner. */
    void retag(Map<UUID, String> territories) {
        if (territories.isEmpty()) {
            return;
        }
        List<UUID> accounts = List.copyOf(territories.keySet());
        jdbc.sql("""
                        update account_ownership o set territory = t.territory
                          from unnest(:accounts, :territories) as t(account_id, territory)
                         where o.account_id = t.account_id and o.left_at is null""")
                .param("accounts", new SqlArrayValue("uuid", accounts.toArray()))
                .param(
                        "territories",
                        new SqlArrayValue(
                                "text", accounts.stream().map(territories::get).toArray()))
                .update();
    }

    /** Records that accounts came to owners, in one statement; their current ownerships must have been ended first. */
    void enter(List<Ownership> ownerships) {
        if (ownerships.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        insert into account_ownership (account_id, owner_id, territory, entered_at, cause, assigned_by,
                                                       reason, pinned)
                        select * from unnest(:accounts, :owners, :territories, :entered, :causes, :by, :reasons,
                                             :pinned)""")
                .param("accounts", SqlArrays.column("uuid", ownerships, Ownership::account))
                .param("owners", SqlArrays.column("uuid", ownerships, Ownership::owner))
                .param("territories", SqlArrays.column("text", ownerships, Ownership::territory))
                .param("entered", SqlArrays.column("timestamptz", ownerships, o -> Timestamp.from(o.enteredAt())))
                .param("causes", SqlArrays.column("text", ownerships, Ownership::cause))
                .param("by", SqlArrays.column("text", ownerships, Ownership::assignedBy))
                .param("reasons", SqlArrays.column("text", ownerships, Ownership::reason))
                .param("pinned", SqlArrays.column("boolean", ownerships, Ownership::pinned))
                .update();
    }

    void deleteAccount(UUID account) {
        jdbc.sql("delete from account_ownership where account_id = ?")
                .param(account)
                .update();
    }

    private static Ownership ownership(ResultSet rs, int row) throws SQLException {
        Timestamp left = rs.getTimestamp("left_at");
        return new Ownership(
                rs.getObject("account_id", UUID.class),
                rs.getObject("owner_id", UUID.class),
                rs.getString("territory"),
                rs.getTimestamp("entered_at").toInstant(),
                left == null ? null : left.toInstant(),
                rs.getString("cause"),
                rs.getString("assigned_by"),
                rs.getString("reason"),
                rs.getBoolean("pinned"));
    }
}
