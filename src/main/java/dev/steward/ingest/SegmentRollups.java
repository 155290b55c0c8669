package dev.steward.ingest;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/**
 * Per-account daily counts of Segment events and the users active each day, kept forever. Each event is added once,
 * in the transaction that moves the processor past it, so processing again never counts twice.
 */
@Repository
class SegmentRollups {

    private final JdbcClient jdbc;

    SegmentRollups(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A count (or a number of users) of an account, metric and day. */
    record Count(UUID account, String metric, LocalDate day, long value) {}

    /** An account's day. */
    record AccountDay(UUID account, LocalDate day) {}

    /** A user active for an account on a day. */
    record ActiveUser(UUID account, LocalDate day, String user) {}

    /** Adds the counts to those stored and returns the totals now stored for the same accounts, metrics and days. */
    List<Count> add(List<Count> counts) {
        if (counts.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                        insert into segment_usage_daily as d (account_id, metric, day, value)
                        select a, m, day::date, v from unnest(:accounts, :metrics, :days, :values) as x(a, m, day, v)
                        order by a, m, day
                        on conflict (account_id, metric, day) do update set value = d.value + excluded.value
                        returning account_id, metric, day, value""")
                .param(
                        "accounts",
                        new SqlArrayValue(
                                "uuid", counts.stream().map(Count::account).toArray()))
                .param(
                        "metrics",
                        new SqlArrayValue(
                                "text", counts.stream().map(Count::metric).toArray()))
                .param(
                        "days",
                        new SqlArrayValue(
                                "text",
                                counts.stream().map(c -> c.day().toString()).toArray()))
                .param(
                        "values",
                        new SqlArrayValue(
                                "bigint", counts.stream().map(Count::value).toArray()))
                .query((rs, n) -> new Count(
                        rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, LocalDate.class), rs.getLong(4)))
                .list();
    }

    void addActiveUsers(Collection<ActiveUser> users) {
        if (users.isEmpty()) {
            return;
        }
        List<ActiveUser> list = new ArrayList<>(users);
        jdbc.sql("""
                        insert into segment_active_user (account_id, day, user_key)
                        select a, day::date, u from unnest(:accounts, :days, :users) as x(a, day, u)
                        on conflict do nothing""")
                .param(
                        "accounts",
                        new SqlArrayValue(
                                "uuid", list.stream().map(ActiveUser::account).toArray()))
                .param(
                        "days",
                        new SqlArrayValue(
                                "text",
                                list.stream().map(u -> u.day().toString()).toArray()))
                .param(
                        "users",
                        new SqlArrayValue(
                                "text", list.stream().map(ActiveUser::user).toArray()))
                .update();
    }

    /**
     * Distinct active users of the accounts on the days (active_users) and in the 7 and 30 days ending on each
     * day that a new user of those days falls in, up to {@code today}.
     */
    List<Count> activeUsers(Collection<AccountDay> days, LocalDate today) {
        if (days.isEmpty()) {
            return List.of();
        }
        List<AccountDay> list = new ArrayList<>(days);
        List<Count> counts = new ArrayList<>();
        jdbc.sql("""
                        with affected as (
                            select distinct a as account_id, day::date as day from unnest(:accounts, :days) as x(a, day)),
                        windows as (
                            select distinct account_id, g::date as day, false as affected
                              from affected, generate_series(day, least(day + 29, :today::date), interval '1 day') g
                            union all
                            select account_id, day, true from affected)
                        select w.account_id, w.day, bool_or(w.affected) as affected,
                               count(distinct u.user_key) filter (where u.day = w.day) as daily,
                               count(distinct u.user_key) filter (where u.day > w.day - 7) as week,
                               count(distinct u.user_key) as month
                          from windows w
                          join segment_active_user u
                            on u.account_id = w.account_id and u.day between w.day - 29 and w.day
                         group by w.account_id, w.day""")
                .param(
                        "accounts",
                        new SqlArrayValue(
                                "uuid", list.stream().map(AccountDay::account).toArray()))
                .param(
                        "days",
                        new SqlArrayValue(
                                "text",
                                list.stream().map(d -> d.day().toString()).toArray()))
                .param("today", today.toString())
                .query((rs, n) -> {
                    UUID account = rs.getObject(1, UUID.class);
                    LocalDate day = rs.getObject(2, LocalDate.class);
                    if (rs.getBoolean(3)) {
                        counts.add(new Count(account, SegmentSettings.ACTIVE_USERS, day, rs.getLong(4)));
                    }
                    if (!day.isAfter(today)) {
                        counts.add(new Count(account, SegmentSettings.ACTIVE_USERS_7D, day, rs.getLong(5)));
                        counts.add(new Count(account, SegmentSettings.ACTIVE_USERS_30D, day, rs.getLong(6)));
                    }
                    return null;
                })
                .list();
        return counts;
    }

    /** How many of the key features each account used on each day. */
    List<Count> keyFeaturesUsed(Collection<AccountDay> days, Set<String> keyFeatures) {
        if (days.isEmpty() || keyFeatures.isEmpty()) {
            return List.of();
        }
        List<AccountDay> list = new ArrayList<>(days);
        return jdbc.sql("""
                        select x.a, x.day::date,
                               (select count(*) from segment_usage_daily d
                                 where d.account_id = x.a and d.day = x.day::date and d.metric = any(:features)
                                   and d.value > 0)
                          from (select distinct a, day from unnest(:accounts, :days) as u(a, day)) x""")
                .param(
                        "accounts",
                        new SqlArrayValue(
                                "uuid", list.stream().map(AccountDay::account).toArray()))
                .param(
                        "days",
                        new SqlArrayValue(
                                "text",
                                list.stream().map(d -> d.day().toString()).toArray()))
                .param("features", new SqlArrayValue("text", keyFeatures.toArray()))
                .query((rs, n) -> new Count(
                        rs.getObject(1, UUID.class),
                        SegmentSettings.KEY_FEATURES_USED,
                        rs.getObject(2, LocalDate.class),
                        rs.getLong(3)))
                .list();
    }
}
