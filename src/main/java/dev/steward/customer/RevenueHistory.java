package dev.steward.customer;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Service;

/**
 * Set-based reads of how the book's ARR moved, for revenue retention, cohorts and ARR at risk: each account's ARR on a
 * day is the ARR of the contracts that counted on it, the rule of {@link ContractManagement#arrHistory} (a contract
 * counts from its start until the day before its end; a cancelled one only on days before today). Every read can be
 * narrowed to one tier ({@code null}: every account).
 */
@Service
public class RevenueHistory {

    /** The contracts {@code c} that counted on the day {@code %s}. */
    private static final String COUNTS_ON = "c.start_date <= %1$s and (c.end_date is null or %1$s < c.end_date)"
            + " and (c.status = 'ACTIVE' or %1$s < :today)";

    /** What an account's ARR did from {@code f} (the start of a period) to {@code t} (its end): the one rule. */
    private static final String KIND = """
            case when f > 0 and t = 0 then 'CHURNED'
                 when f = 0 then 'NEW'
                 when t > f then 'EXPANDED'
                 when t < f then 'CONTRACTED'
                 else 'RETAINED' end""";

    private static final String TIER = " and (cast(:tier as text) is null or a.tier = :tier)";

    private final JdbcClient jdbc;
    private final Clock clock;

    RevenueHistory(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** What an account's ARR did over a period; an account without ARR at either end is in none. */
    public enum Movement {
        /** Same ARR at both ends. */
        RETAINED,
        /** More ARR at the end than at the start. */
        EXPANDED,
        /** Less ARR at the end, but some. */
        CONTRACTED,
        /** ARR at the start, none at the end. */
        CHURNED,
        /** No ARR at the start, some at the end (a new logo, or a former customer back). */
        NEW
    }

    /** A span of days: ARR is compared on {@code from} and on {@code to}. */
    public record Period(LocalDate from, LocalDate to) {}

    /** The accounts of one movement over a period, with their summed ARR at its start and at its end. */
    public record MovementTotal(
            Period period, Movement movement, long accounts, BigDecimal arrFrom, BigDecimal arrTo) {}

    /** One account's ARR at the start and the end of a period, and what it did. */
    public record AccountMovement(
            UUID account,
            String name,
            @Nullable String tier,
            Movement movement,
            BigDecimal arrFrom,
            BigDecimal arrTo) {}

    /**
     * Per period and movement, the accounts and their ARR at both ends, in one statement; movements without an account
     * are left out.
     */
    public List<MovementTotal> movements(List<Period> periods, @Nullable String tier) {
        if (periods.isEmpty()) {
            return List.of();
        }
        return jdbc.sql(("""
                        with pairs as (
                            select * from unnest(cast(cast(:froms as text[]) as date[]),
                                                 cast(cast(:tos as text[]) as date[])) as p(from_day, to_day)),
                        days as (select from_day as day from pairs union select to_day from pairs),
                        arr as (
                            select c.account_id, d.day, sum(c.arr) as arr
                              from days d
                              join contract c on %s
                              join account a on a.id = c.account_id %s
                             group by c.account_id, d.day),
                        moves as (
                            select p.from_day, p.to_day, a.account_id,
                                   coalesce(sum(a.arr) filter (where a.day = p.from_day), 0) as f,
                                   coalesce(sum(a.arr) filter (where a.day = p.to_day), 0) as t
                              from pairs p
                              cross join lateral (values (p.from_day), (p.to_day)) as e(day)
                              join arr a on a.day = e.day
                             group by p.from_day, p.to_day, a.account_id)
                        select from_day, to_day, %s as kind, count(*), sum(f), sum(t)
                          from moves where f > 0 or t > 0
                         group by 1, 2, 3 order by 1, 2, 3""").formatted(COUNTS_ON.formatted("d.day"), TIER, KIND))
                .param("froms", days(periods.stream().map(Period::from)))
                .param("tos", days(periods.stream().map(Period::to)))
                .param("today", LocalDate.now(clock))
                .param("tier", tier)
                .query((rs, n) -> new MovementTotal(
                        new Period(rs.getObject(1, LocalDate.class), rs.getObject(2, LocalDate.class)),
                        Movement.valueOf(rs.getString(3)),
                        rs.getLong(4),
                        rs.getBigDecimal(5),
                        rs.getBigDecimal(6)))
                .list();
    }

    private static SqlArrayValue days(java.util.stream.Stream<LocalDate> days) {
        return new SqlArrayValue("text", days.map(LocalDate::toString).toArray());
    }

    /** The accounts behind {@link #movements} for one period, largest ARR at either end first. */
    public List<AccountMovement> accountMovements(Period period, @Nullable String tier) {
        return jdbc.sql(("""
                        select m.id, m.name, m.tier, %s as kind, f, t from (
                            select a.id, a.name, a.tier,
                                   coalesce(sum(c.arr) filter (where %s), 0) as f,
                                   coalesce(sum(c.arr) filter (where %s), 0) as t
                              from contract c join account a on a.id = c.account_id %s
                             where c.start_date <= :to and (c.end_date is null or c.end_date > :from)
                             group by a.id, a.name, a.tier) m
                         where f > 0 or t > 0
                         order by greatest(f, t) desc, m.id""").formatted(KIND, COUNTS_ON.formatted(":from"), COUNTS_ON.formatted(":to"), TIER))
                .param("from", period.from())
                .param("to", period.to())
                .param("today", LocalDate.now(clock))
                .param("tier", tier)
                .query((rs, n) -> new AccountMovement(
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        rs.getString(3),
                        Movement.valueOf(rs.getString(4)),
                        rs.getBigDecimal(5),
                        rs.getBigDecimal(6)))
                .list();
    }

    /**
     * One cell of a start-quarter cohort: the accounts whose first contract started in {@code quarter} (its first day),
     * how many had ARR and their summed ARR {@code step} quarters after: step -1 is each account's first contract's
     * start day, step k ≥ 0 the first day of the (k+1)th quarter after the start quarter.
     */
    public record CohortCell(LocalDate quarter, int step, LocalDate day, long accounts, long withArr, BigDecimal arr) {}

    /** One account of a cohort: its ARR on its first day and {@code step} quarters after. */
    public record CohortAccount(UUID account, String name, LocalDate firstDay, BigDecimal startArr, BigDecimal arr) {}

    /**
     * The cohorts of accounts whose first contract started from {@code fromQuarter} (the first day of a quarter) up to
     * today, each at its start and at the end of every quarter since that has ended.
     */
    public List<CohortCell> cohorts(LocalDate fromQuarter, @Nullable String tier) {
        return jdbc.sql(COHORT_ARR.formatted(TIER, COUNTS_ON.formatted("ch.day")) + """
                        select quarter, step, max(day), count(*), count(*) filter (where arr > 0), sum(arr)
                          from arr group by quarter, step order by quarter, step""")
                .param("from", fromQuarter)
                .param("today", LocalDate.now(clock))
                .param("tier", tier)
                .query((rs, n) -> new CohortCell(
                        rs.getObject(1, LocalDate.class),
                        rs.getInt(2),
                        rs.getObject(3, LocalDate.class),
                        rs.getLong(4),
                        rs.getLong(5),
                        rs.getBigDecimal(6)))
                .list();
    }

    /** The accounts of one cohort with their ARR at its start and at a step (see {@link CohortCell}). */
    public List<CohortAccount> cohortAccounts(LocalDate quarter, int step, @Nullable String tier) {
        return jdbc.sql(COHORT_ARR.formatted(TIER, COUNTS_ON.formatted("ch.day")) + """
                        select s.account_id, a.name, s.day, s.arr, coalesce(k.arr, 0)
                          from arr s join account a on a.id = s.account_id
                          left join arr k on k.account_id = s.account_id and k.step = :step
                         where s.quarter = :from and s.step = -1
                         order by s.arr desc, s.account_id""")
                .param("from", quarter)
                .param("step", step)
                .param("today", LocalDate.now(clock))
                .param("tier", tier)
                .query((rs, n) -> new CohortAccount(
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        rs.getObject(3, LocalDate.class),
                        rs.getBigDecimal(4),
                        rs.getBigDecimal(5)))
                .list();
    }

    private static final String COHORT_ARR = """
            with firsts as (
                select c.account_id, min(c.start_date) as first_day
                  from contract c join account a on a.id = c.account_id %1$s
                 group by c.account_id),
            cohort as (
                select account_id, first_day, cast(date_trunc('quarter', first_day) as date) as quarter
                  from firsts where first_day >= :from and first_day <= :today),
            checks as (
                select account_id, quarter, first_day as day, -1 as step from cohort
                union all
                select f.account_id, f.quarter, cast(f.quarter + (k + 1) * interval '3 months' as date), k
                  from cohort f, generate_series(0, 40) as k
                 where f.quarter + (k + 1) * interval '3 months' <= :today),
            arr as (
                select ch.account_id, ch.quarter, ch.step, ch.day, coalesce(sum(c.arr), 0) as arr
                  from checks ch left join contract c on c.account_id = ch.account_id and %2$s
                 group by ch.account_id, ch.quarter, ch.step, ch.day)
            """;

    /** A customer as it stands today: an account with ARR that has not churned. */
    public record BookEntry(
            UUID account,
            String name,
            @Nullable String tier,
            @Nullable UUID owner,
            BigDecimal arr,
            @Nullable LocalDate renewalDate,
            @Nullable String healthColor) {}

    /**
     * Every customer today (current ARR above zero, not churned) with its tier, owner, ARR, next renewal and current
     * health color ({@code null} when never scored), streamed in id order.
     */
    public void book(@Nullable String tier, Consumer<BookEntry> sink) {
        jdbc.sql("""
                        select a.id, a.name, a.tier, a.owner_id, a.current_arr, a.renewal_date, a.health_color
                          from account a where a.current_arr > 0 and a.churned_on is null""" + TIER + " order by a.id").param("tier", tier).query(rs -> {
            sink.accept(new BookEntry(
                    rs.getObject(1, UUID.class),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getObject(4, UUID.class),
                    rs.getBigDecimal(5),
                    rs.getObject(6, LocalDate.class),
                    rs.getString(7)));
        });
    }

    /** Each account's ARR on a day, for the accounts that had some. */
    public Map<UUID, BigDecimal> arrOn(LocalDate day, @Nullable String tier) {
        Map<UUID, BigDecimal> arr = new HashMap<>();
        jdbc.sql(("""
                        select c.account_id, sum(c.arr) from contract c join account a on a.id = c.account_id %s
                         where %s group by c.account_id having sum(c.arr) > 0""").formatted(TIER, COUNTS_ON.formatted(":day")))
                .param("day", day)
                .param("today", LocalDate.now(clock))
                .param("tier", tier)
                .query(rs -> {
                    arr.put(rs.getObject(1, UUID.class), rs.getBigDecimal(2));
                });
        return arr;
    }

    /**
     * Each account's ARR on each of these days, in one statement: by account, an ARR per day in the order of
     * {@code days} ({@code null} on a day it had none); accounts without ARR on any of the days are left out. The same
     * rule as {@link #arrOn(LocalDate, String)}, folded in the database into one row per account.
     */
    public Map<UUID, BigDecimal[]> arrOn(List<LocalDate> days, @Nullable String tier) {
        Map<UUID, BigDecimal[]> arr = new HashMap<>();
        if (days.isEmpty()) {
            return arr;
        }
        jdbc.sql(("""
                        with d as (select * from unnest(cast(cast(:days as text[]) as date[])) with ordinality as d(day, ord)),
                        daily as (
                            select c.account_id, d.ord, sum(c.arr) as arr
                              from d join contract c on %s
                              join account a on a.id = c.account_id %s
                             group by c.account_id, d.ord having sum(c.arr) > 0)
                        select account_id, array_agg(ord order by ord), array_agg(arr order by ord)
                          from daily group by account_id""").formatted(COUNTS_ON.formatted("d.day"), TIER))
                .param("days", days(days.stream()))
                .param("today", LocalDate.now(clock))
                .param("tier", tier)
                .query(rs -> {
                    Object[] positions = (Object[]) rs.getArray(2).getArray();
                    Object[] values = (Object[]) rs.getArray(3).getArray();
                    BigDecimal[] byDay = new BigDecimal[days.size()];
                    for (int i = 0; i < positions.length; i++) {
                        byDay[((Number) positions[i]).intValue() - 1] = (BigDecimal) values[i];
                    }
                    arr.put(rs.getObject(1, UUID.class), byDay);
                });
        return arr;
    }

    /** The names of these accounts, for listing them. */
    public Map<UUID, String> names(java.util.Collection<UUID> accounts) {
        Map<UUID, String> names = new HashMap<>();
        jdbc.sql("select id, name from account where id = any(?)")
                .param(new SqlArrayValue("uuid", accounts.toArray()))
                .query(rs -> {
                    names.put(rs.getObject(1, UUID.class), rs.getString(2));
                });
        return names;
    }
}
