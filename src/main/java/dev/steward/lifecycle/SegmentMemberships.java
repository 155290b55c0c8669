package dev.steward.lifecycle;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/**
 * Segment membership as facts: an account entered a segment at a time and left it at a later one (open while it is
 * in). A member at instant {@code t} entered at or before {@code t} and had not left by then.
 */
@Repository
class SegmentMemberships {

    private final JdbcClient jdbc;

    SegmentMemberships(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One stay of an account in a segment; {@code leftAt} is {@code null} while it is in. */
    record Stay(UUID account, Instant enteredAt, Instant leftAt) {

        /** Whether the account was in at the instant: it had entered at or before it and not left by then. */
        boolean inAt(Instant at) {
            return !enteredAt.isAfter(at) && (leftAt == null || leftAt.isAfter(at));
        }
    }

    /** A stay in a segment named by its name. */
    record NamedStay(String segment, Stay stay) {}

    /**
     * The stays of these accounts in the named segments during which they were in at some instant from {@code from}
     * to {@code to}; found through the account index, one probe per account.
     */
    void stays(
            Collection<String> names,
            Collection<UUID> accounts,
            Instant from,
            Instant to,
            java.util.function.Consumer<NamedStay> each) {
        jdbc.sql("""
                        select s.name, m.account_id, m.entered_at, m.left_at
                          from unnest(:accounts) as a(id)
                          join account_segment_membership m on m.account_id = a.id
                          join account_segment s on s.id = m.segment_id
                         where s.name = any(:names) and m.entered_at <= :to
                           and (m.left_at is null or m.left_at > :from)""")
                .param("accounts", new SqlArrayValue("uuid", accounts.toArray()))
                .param("names", new SqlArrayValue("text", names.toArray()))
                .param("from", Timestamp.from(from))
                .param("to", Timestamp.from(to))
                .query(rs -> {
                    Timestamp left = rs.getTimestamp(4);
                    each.accept(new NamedStay(
                            rs.getString(1),
                            new Stay(
                                    rs.getObject(2, UUID.class),
                                    rs.getTimestamp(3).toInstant(),
                                    left == null ? null : left.toInstant())));
                });
    }

    /** Every current member of the segments with these names, with the name of the segment. */
    void currentByName(Collection<String> names, java.util.function.BiConsumer<String, UUID> each) {
        jdbc.sql("""
                        select s.name, m.account_id
                          from account_segment s
                          join account_segment_membership m on m.segment_id = s.id and m.left_at is null
                         where s.name = any(:names)""").param("names", new SqlArrayValue("text", names.toArray())).query(rs -> {
            each.accept(rs.getString(1), rs.getObject(2, UUID.class));
        });
    }

    /** The current members of these segments, by segment; of all accounts, or only of those given. */
    Map<UUID, Set<UUID>> current(Collection<UUID> segments, Collection<UUID> accounts) {
        Map<UUID, Set<UUID>> members = new HashMap<>();
        segments.forEach(segment -> members.put(segment, new HashSet<>()));
        if (segments.isEmpty()) {
            return members;
        }
        // Given accounts, their rows are found through the account index, one probe per account: a filter on both
        // arrays tests every open row of the segments against the list of accounts.
        String sql = accounts == null
                ? "select segment_id, account_id from account_segment_membership where left_at is null"
                        + " and segment_id = any(:segments)"
                : "select m.segment_id, m.account_id from unnest(:accounts) as a(id)"
                        + " join account_segment_membership m on m.account_id = a.id"
                        + " where m.left_at is null and m.segment_id = any(:segments)";
        JdbcClient.StatementSpec statement =
                jdbc.sql(sql).param("segments", new SqlArrayValue("uuid", segments.toArray()));
        if (accounts != null) {
            statement = statement.param("accounts", new SqlArrayValue("uuid", accounts.toArray()));
        }
        statement.query(rs -> {
            members.get(rs.getObject(1, UUID.class)).add(rs.getObject(2, UUID.class));
        });
        return members;
    }

    /** Records that the accounts entered the segment; one already in stays in as it was. */
    Set<UUID> enter(UUID segment, Collection<UUID> accounts, Instant at) {
        if (accounts.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("""
                        insert into account_segment_membership (segment_id, account_id, entered_at)
                        select :segment, a, :at from unnest(:accounts) as a
                        on conflict (segment_id, account_id) where left_at is null do nothing
                        returning account_id""")
                .param("segment", segment)
                .param("at", Timestamp.from(at))
                .param("accounts", new SqlArrayValue("uuid", accounts.toArray()))
                .query(UUID.class)
                .list());
    }

    /** Records that the accounts left the segment; those not in it are left alone. */
    Set<UUID> leave(UUID segment, Collection<UUID> accounts, Instant at) {
        if (accounts.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("""
                        update account_segment_membership set left_at = greatest(:at, entered_at)
                         where segment_id = :segment and account_id = any(:accounts) and left_at is null
                        returning account_id""")
                .param("segment", segment)
                .param("at", Timestamp.from(at))
                .param("accounts", new SqlArrayValue("uuid", accounts.toArray()))
                .query(UUID.class)
                .list());
    }

    /** The segment's members at an instant, with when each entered (and, if it has since, left). */
    List<Stay> at(UUID segment, Instant at) {
        return jdbc.sql("""
                        select account_id, entered_at, left_at from account_segment_membership
                         where segment_id = ? and entered_at <= ? and (left_at is null or left_at > ?)
                         order by entered_at, account_id""")
                .params(segment, Timestamp.from(at), Timestamp.from(at))
                .query((rs, row) -> {
                    Timestamp left = rs.getTimestamp(3);
                    return new Stay(
                            rs.getObject(1, UUID.class),
                            rs.getTimestamp(2).toInstant(),
                            left == null ? null : left.toInstant());
                })
                .list();
    }

    /** Every stay of the account in the segment, oldest first. */
    List<Stay> history(UUID segment, UUID account) {
        return jdbc.sql("""
                        select account_id, entered_at, left_at from account_segment_membership
                         where segment_id = ? and account_id = ? order by entered_at""")
                .params(segment, account)
                .query((rs, row) -> {
                    Timestamp left = rs.getTimestamp(3);
                    return new Stay(
                            rs.getObject(1, UUID.class),
                            rs.getTimestamp(2).toInstant(),
                            left == null ? null : left.toInstant());
                })
                .list();
    }

    /** The ids of the segments the account was in at an instant. */
    List<UUID> segmentsOf(UUID account, Instant at) {
        return jdbc.sql("""
                        select segment_id from account_segment_membership
                         where account_id = ? and entered_at <= ? and (left_at is null or left_at > ?)""")
                .params(account, Timestamp.from(at), Timestamp.from(at))
                .query(UUID.class)
                .list();
    }

    /** How many accounts each segment has now. */
    Map<UUID, Long> counts() {
        Map<UUID, Long> counts = new HashMap<>();
        jdbc.sql(
                        "select segment_id, count(*) from account_segment_membership where left_at is null group by segment_id")
                .query(rs -> {
                    counts.put(rs.getObject(1, UUID.class), rs.getLong(2));
                });
        return counts;
    }

    void deleteAccount(UUID account) {
        jdbc.sql("delete from account_segment_membership where account_id = ?")
                .param(account)
                .update();
    }
}
