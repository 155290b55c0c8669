package dev.steward.lifecycle;

import dev.steward.core.SqlArrays;
import dev.steward.customer.AccountSnapshots;
import dev.steward.customer.JourneyStage;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/**
 * Accounts' lifecycle stages as facts: an account entered a stage at a time, by a rule or by hand, and left it at a
 * later one (open while it is in). Written only under the membership lock (see {@link SegmentEvaluation}). Every write
 * also records the account's current stage on the account, in the same transaction, so that the accounts list shows and
 * filters by it without a join (see {@link AccountSnapshots#recordStages}).
 */
@Repository
class AccountStages {

    private static final String COLUMNS =
            "select account_id, stage, stage_name, entered_at, left_at, cause, moved_by, reason, hold_until,"
                    + " ended_by_exit_rule from account_stage";

    private final JdbcClient jdbc;
    private final AccountSnapshots accounts;

    AccountStages(JdbcClient jdbc, AccountSnapshots accounts) {
        this.jdbc = jdbc;
        this.accounts = accounts;
    }

    /**
     * One stay of an account in a stage; {@code leftAt} is {@code null} while it is in. {@code endedByExitRule}: a hold
     * by hand that the stage's exit rule ended before its day.
     */
    record Stay(
            UUID account,
            String stage,
            String stageName,
            Instant enteredAt,
            Instant leftAt,
            String cause,
            String movedBy,
            String reason,
            LocalDate holdUntil,
            boolean endedByExitRule) {

        Stay(
                UUID account,
                String stage,
                String stageName,
                Instant enteredAt,
                Instant leftAt,
                String cause,
                String movedBy,
                String reason,
                LocalDate holdUntil) {
            this(account, stage, stageName, enteredAt, leftAt, cause, movedBy, reason, holdUntil, false);
        }

        boolean manual() {
            return "manual".equals(cause);
        }
    }

    /** The stage each of these accounts is in now; accounts in none are left out. */
    Map<UUID, Stay> current(Collection<UUID> accounts) {
        Map<UUID, Stay> current = new HashMap<>();
        jdbc.sql(COLUMNS + " where left_at is null and account_id = any(?)")
                .param(new SqlArrayValue("uuid", accounts.toArray()))
                .query(AccountStages::stay)
                .list()
                .forEach(stay -> current.put(stay.account(), stay));
        return current;
    }

    /** The stays of these accounts entered before the instant, oldest first. */
    List<Stay> enteredBefore(Collection<UUID> accounts, Instant until) {
        return jdbc.sql(COLUMNS + " where account_id = any(?) and entered_at < ? order by account_id, entered_at, id")
                .param(new SqlArrayValue("uuid", accounts.toArray()))
                .param(Timestamp.from(until))
                .query(AccountStages::stay)
                .list();
    }

    /** Every stay of the account, newest first. */
    List<Stay> history(UUID account) {
        return jdbc.sql(COLUMNS + " where account_id = ? order by entered_at desc, id desc")
                .param(account)
                .query(AccountStages::stay)
                .list();
    }

    /**
     * A stage move as the account timeline shows it: entering a stay ({@code leaving} false), or leaving one when its
     * hold ended by the stage's exit rule or no stay began as it ended ({@code followed}: one did). {@code id} is
     * derived from the row, so that moves at one instant keep the table's order: see {@link #timeline}.
     */
    record Move(UUID id, Instant at, boolean leaving, boolean followed, Stay stay) {}

    /**
     * Up to {@code limit} of the account's moves, newest first, after a position of the timeline ({@code null}: from the
     * newest), in one query on the account's stays (index {@code account_stage_history}). A move's id is
     * {@code 00000000-0000-0001-} followed by the row's id times two, plus one for leaving: stays have numbers, not
     * uuids, and a stay's two moves need an id each.
     */
    List<Move> timeline(UUID account, Instant after, UUID afterId, int limit) {
        String upTo = after == null ? "" : " and s.entered_at <= :after";
        String columns = "s.account_id, s.stage, s.stage_name, s.entered_at, s.left_at, s.cause, s.moved_by, s.reason,"
                + " s.hold_until, s.ended_by_exit_rule";
        Map<String, Object> params = new HashMap<>();
        params.put("account", account);
        params.put("limit", limit);
        if (after != null) {
            params.put("after", Timestamp.from(after));
            params.put("afterId", afterId);
        }
        return jdbc.sql("select * from ("
                        + " select ('0000000000000001' || lpad(to_hex(s.id * 2), 16, '0'))::uuid as move_id,"
                        + " s.entered_at as at, false as leaving, true as followed, " + columns
                        + " from account_stage s where s.account_id = :account" + upTo
                        + " union all"
                        + " select ('0000000000000001' || lpad(to_hex(s.id * 2 + 1), 16, '0'))::uuid,"
                        + " s.left_at, true, exists (select 1 from account_stage n"
                        + " where n.account_id = s.account_id and n.entered_at = s.left_at), " + columns
                        + " from account_stage s where s.account_id = :account and s.left_at is not null" + upTo
                        + ") e where (not leaving or ended_by_exit_rule or not followed)"
                        + (after == null ? "" : " and (at, move_id) < (:after, :afterId)")
                        + " order by at desc, move_id desc limit :limit")
                .params(params)
                .query((rs, row) -> new Move(
                        rs.getObject("move_id", UUID.class),
                        rs.getTimestamp("at").toInstant(),
                        rs.getBoolean("leaving"),
                        rs.getBoolean("followed"),
                        stay(rs, row)))
                .list();
    }

    /** The accounts in a stage now, longest there first. */
    List<Stay> in(String stage) {
        return jdbc.sql(COLUMNS + " where left_at is null and stage = ? order by entered_at, id")
                .param(stage)
                .query(AccountStages::stay)
                .list();
    }

    /** Ends these accounts' current stays, where they have one. */
    void leave(Collection<UUID> accounts, Instant at) {
        leave(accounts, at, java.util.Set.of());
    }

    /**
     * Ends these accounts' current stays; those in {@code entering} enter another stage in the same transaction, so
     * their account row is written once, by {@link #enter}, rather than cleared first.
     */
    void leave(Collection<UUID> accounts, Instant at, java.util.Set<UUID> entering) {
        if (accounts.isEmpty()) {
            return;
        }
        List<UUID> ended = jdbc.sql("""
                        update account_stage set left_at = greatest(:at, entered_at)
                         where account_id = any(:accounts) and left_at is null
                        returning account_id""")
                .param("at", Timestamp.from(at))
                .param("accounts", new SqlArrayValue("uuid", accounts.toArray()))
                .query(UUID.class)
                .list();
        this.accounts.recordNoStage(
                ended.stream().filter(id -> !entering.contains(id)).toList());
    }

    /** Ends these accounts' current stays, holds by hand, because their stage's exit rule holds. */
    void endHolds(Collection<UUID> accounts, Instant at) {
        if (accounts.isEmpty()) {
            return;
        }
        List<UUID> ended = jdbc.sql("""
                        update account_stage set left_at = greatest(:at, entered_at), ended_by_exit_rule = true
                         where account_id = any(:accounts) and left_at is null and cause = 'manual'
                        returning account_id""")
                .param("at", Timestamp.from(at))
                .param("accounts", new SqlArrayValue("uuid", accounts.toArray()))
                .query(UUID.class)
                .list();
        this.accounts.recordNoStage(ended);
    }

    /** The first stay Steward recorded of each of these accounts (by rule or by hand, not imported). */
    Map<UUID, Stay> firstRecorded(Collection<UUID> accounts) {
        Map<UUID, Stay> first = new HashMap<>();
        jdbc.sql(COLUMNS.replace("select ", "select distinct on (account_id) ")
                        + " where account_id = any(?) and cause <> 'imported' order by account_id, entered_at, id")
                .param(new SqlArrayValue("uuid", accounts.toArray()))
                .query(AccountStages::stay)
                .list()
                .forEach(stay -> first.put(stay.account(), stay));
        return first;
    }

    /** Drops the stays the rules recorded for these accounts; those left with no open stay have no stage now. */
    void dropRuleStays(Collection<UUID> accounts) {
        jdbc.sql("delete from account_stage where account_id = any(?) and cause = 'rule'")
                .param(new SqlArrayValue("uuid", accounts.toArray()))
                .update();
        this.accounts.recordNoStage(List.copyOf(accounts));
    }

    /** Which of these accounts have a stay of this cause ({@code manual}, {@code imported}). */
    java.util.Set<UUID> withStayBy(Collection<UUID> accounts, String cause) {
        return new java.util.HashSet<>(jdbc.sql("""
                        select distinct account_id from account_stage
                         where account_id = any(?) and cause = ?""")
                .param(new SqlArrayValue("uuid", accounts.toArray()))
                .param(cause)
                .query(UUID.class)
                .list());
    }

    /**
     * Writes stays from before Steward kept stages, in one statement, each ended ({@code leftAt} set) or open (the
     * account's current stage: recorded on the account too).
     */
    void insertHistory(List<Stay> stays) {
        if (stays.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        insert into account_stage (account_id, stage, stage_name, entered_at, left_at, cause, moved_by,
                                                   reason)
                        select * from unnest(:accounts, :stages, :names, :entered, :left, :causes, :movers, :reasons)""")
                .param("accounts", SqlArrays.column("uuid", stays, Stay::account))
                .param("stages", SqlArrays.column("text", stays, Stay::stage))
                .param("names", SqlArrays.column("text", stays, Stay::stageName))
                .param("entered", SqlArrays.column("timestamptz", stays, stay -> Timestamp.from(stay.enteredAt())))
                .param(
                        "left",
                        SqlArrays.column(
                                "timestamptz",
                                stays,
                                stay -> stay.leftAt() == null ? null : Timestamp.from(stay.leftAt())))
                .param("causes", SqlArrays.column("text", stays, Stay::cause))
                .param("movers", SqlArrays.column("text", stays, Stay::movedBy))
                .param("reasons", SqlArrays.column("text", stays, Stay::reason))
                .update();
        Map<UUID, JourneyStage> open = new HashMap<>();
        stays.stream()
                .filter(stay -> stay.leftAt() == null)
                .forEach(stay -> open.put(stay.account(), new JourneyStage(stay.stage(), stay.stageName())));
        if (!open.isEmpty()) {
            accounts.recordStages(open);
        }
    }

    /** Moves the start of the account's first recorded stay back: it continues an imported stay in the same stage. */
    void startEarlier(UUID account, Instant firstEntered, Instant enteredAt) {
        jdbc.sql(
                        "update account_stage set entered_at = ? where account_id = ? and entered_at = ? and cause <> 'imported'")
                .params(Timestamp.from(enteredAt), account, Timestamp.from(firstEntered))
                .update();
    }

    /** When the earliest imported stay began; {@code null} when none was imported. */
    Instant earliestImported() {
        Timestamp earliest = jdbc.sql("select min(entered_at) from account_stage where cause = 'imported'")
                .query((rs, row) -> rs.getTimestamp(1))
                .list()
                .get(0);
        return earliest == null ? null : earliest.toInstant();
    }

    /** Records that accounts entered stages, in one statement; their current stays must have been ended first. */
    void enter(List<Stay> stays) {
        if (stays.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        insert into account_stage (account_id, stage, stage_name, entered_at, cause, moved_by, reason,
                                                   hold_until)
                        select * from unnest(:accounts, :stages, :names, :entered, :causes, :movers, :reasons, :holds)""")
                .param("accounts", SqlArrays.column("uuid", stays, Stay::account))
                .param("stages", SqlArrays.column("text", stays, Stay::stage))
                .param("names", SqlArrays.column("text", stays, Stay::stageName))
                .param("entered", SqlArrays.column("timestamptz", stays, stay -> Timestamp.from(stay.enteredAt())))
                .param("causes", SqlArrays.column("text", stays, Stay::cause))
                .param("movers", SqlArrays.column("text", stays, Stay::movedBy))
                .param("reasons", SqlArrays.column("text", stays, Stay::reason))
                .param(
                        "holds",
                        SqlArrays.column(
                                "date",
                                stays,
                                stay -> stay.holdUntil() == null ? null : java.sql.Date.valueOf(stay.holdUntil())))
                .update();
        Map<UUID, JourneyStage> entered = new HashMap<>();
        stays.forEach(stay -> entered.put(stay.account(), new JourneyStage(stay.stage(), stay.stageName())));
        accounts.recordStages(entered);
    }

    void deleteAccount(UUID account) {
        jdbc.sql("delete from account_stage where account_id = ?")
                .param(account)
                .update();
    }

    private static Stay stay(ResultSet rs, int row) throws SQLException {
        Timestamp left = rs.getTimestamp("left_at");
        return new Stay(
                rs.getObject("account_id", UUID.class),
                rs.getString("stage"),
                rs.getString("stage_name"),
                rs.getTimestamp("entered_at").toInstant(),
                left == null ? null : left.toInstant(),
                rs.getString("cause"),
                rs.getString("moved_by"),
                rs.getString("reason"),
                rs.getObject("hold_until", LocalDate.class),
                rs.getBoolean("ended_by_exit_rule"));
    }
}
