package dev.steward.health;

import dev.steward.health.engine.Color;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Stored overrides: at most one open per account; ended ones stay as history. */
@Repository
class HealthOverrides {

    private final JdbcClient jdbc;

    HealthOverrides(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** When each author set an override from {@code from} to before {@code until}. */
    Map<UUID, List<Instant>> made(Instant from, Instant until) {
        Map<UUID, List<Instant>> made = new HashMap<>();
        jdbc.sql("""
                        select author_id, created_at from health_override
                         where author_id is not null and created_at >= ? and created_at < ?""").params(Timestamp.from(from), Timestamp.from(until)).query(rs -> {
            made.computeIfAbsent(rs.getObject(1, UUID.class), a -> new ArrayList<>())
                    .add(rs.getTimestamp(2).toInstant());
        });
        return made;
    }

    void add(HealthOverride override, UUID authorId) {
        jdbc.sql("""
                        insert into health_override
                            (id, account_id, color, score, reason, expires_on, author_id, author_name, created_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        override.id(),
                        override.account(),
                        override.color().name().toLowerCase(Locale.ROOT),
                        override.score(),
                        override.reason(),
                        override.expiresOn(),
                        authorId,
                        override.author(),
                        Timestamp.from(override.createdAt()))
                .update();
    }

    /** Ends the account's open override, if any; returns the one ended. */
    java.util.Optional<HealthOverride> end(UUID account, Instant at, String by) {
        return jdbc.sql("""
                        update health_override set ended_at = ?, ended_by = ?
                         where account_id = ? and ended_at is null
                        returning *""")
                .params(Timestamp.from(at), by, account)
                .query(HealthOverrides::override)
                .optional();
    }

    /** Open overrides whose expiry has come by the day: they stop applying on their own and are closed. */
    List<HealthOverride> expire(LocalDate day, Instant at) {
        return jdbc.sql("""
                        update health_override set ended_at = ?, ended_by = 'expired'
                         where ended_at is null and expires_on <= ?
                        returning *""")
                .params(Timestamp.from(at), day)
                .query(HealthOverrides::override)
                .list();
    }

    /** The open overrides of these accounts that still apply on the day, soonest expiry first. */
    List<HealthOverride> inForce(java.util.Collection<UUID> accounts, LocalDate day) {
        if (accounts.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                        select * from health_override
                         where account_id = any(?) and ended_at is null and expires_on > ?
                         order by expires_on, account_id""")
                .params(new org.springframework.jdbc.support.SqlArrayValue("uuid", accounts.toArray()), day)
                .query(HealthOverrides::override)
                .list();
    }

    /** Every override that is not closed, to apply to a day's scores. */
    List<HealthOverride> open() {
        return jdbc.sql("select * from health_override where ended_at is null")
                .query(HealthOverrides::override)
                .list();
    }

    /** The overrides that could apply on a day, open or closed after it started. */
    List<HealthOverride> applicable(UUID account) {
        return jdbc.sql("select * from health_override where account_id = ? order by created_at desc")
                .param(account)
                .query(HealthOverrides::override)
                .list();
    }

    /** {@link #applicable(UUID)} for many accounts in one statement, by account; accounts without any are left out. */
    Map<UUID, List<HealthOverride>> applicable(java.util.Collection<UUID> accounts) {
        Map<UUID, List<HealthOverride>> applicable = new HashMap<>();
        if (accounts.isEmpty()) {
            return applicable;
        }
        jdbc.sql("select * from health_override where account_id = any(?) order by account_id, created_at desc")
                .param(new org.springframework.jdbc.support.SqlArrayValue("uuid", accounts.toArray()))
                .query(HealthOverrides::override)
                .list()
                .forEach(o -> applicable
                        .computeIfAbsent(o.account(), a -> new ArrayList<>())
                        .add(o));
        return applicable;
    }

    private static HealthOverride override(ResultSet rs, int row) throws SQLException {
        Object score = rs.getObject("score");
        Timestamp ended = rs.getTimestamp("ended_at");
        return new HealthOverride(
                rs.getObject("id", UUID.class),
                rs.getObject("account_id", UUID.class),
                Color.valueOf(rs.getString("color").toUpperCase(Locale.ROOT)),
                score == null ? null : ((Number) score).doubleValue(),
                rs.getString("reason"),
                rs.getObject("expires_on", LocalDate.class),
                rs.getString("author_name"),
                rs.getTimestamp("created_at").toInstant(),
                ended == null ? null : ended.toInstant(),
                rs.getString("ended_by"));
    }
}
