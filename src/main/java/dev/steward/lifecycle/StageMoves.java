package dev.steward.lifecycle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/**
 * Reads the flow of accounts through the stages from the stage facts, set-based: a handful of grouped statements over
 * {@code account_stage} however many accounts there are, and the accounts behind one number, ordered and limited in
 * the database.
 *
 * <p>A stay's successor is the stay of the same account that began the instant it ended (leaving one stage and
 * entering the next are written in one transaction with one time); a stay that ended with no such successor left the
 * account in no stage.
 */
@Repository
class StageMoves {

    /**
     * The stays of accounts that overlap the period, each with its successor as of the end of the observation ({@code
     * left_at} is null for a stay still open then), and {@code entries}: each account's first entry into each stage
     * within the period that passes the segment filter.
     */
    private static final String STAYS = """
            with stays as (
                select s.id, s.account_id, s.stage, s.entered_at,
                       case when s.left_at < :until then s.left_at end as left_at,
                       case when s.left_at < :until and lead(s.entered_at) over w = s.left_at
                            then lead(s.stage) over w end as next_stage,
                       case when s.left_at < :until and lead(s.entered_at) over w = s.left_at
                            then lead(s.stage_name) over w end as next_name
                  from account_stage s
                 where s.entered_at < :until and (s.left_at is null or s.left_at >= :start) {cohort} {accounts}
                window w as (partition by s.account_id order by s.entered_at, s.id)),
            entries as (
                select distinct on (s.account_id, s.stage) s.*
                  from stays s
                 where s.entered_at >= :start {segment}
                 order by s.account_id, s.stage, s.entered_at, s.id)
            """;

    /** The local day a stay's instant falls on. */
    private static final String DAY = "cast({column} at time zone {zone} as date)";

    /** Member of the segment at the end of the day the stay began. */
    private static final String IN_SEGMENT = """
            and exists (select 1 from account_segment_membership m
                         where m.segment_id = :segment and m.account_id = s.account_id
                           and m.entered_at < {dayAfter} and (m.left_at is null or m.left_at >= {dayAfter}))""";

    private final JdbcClient jdbc;

    StageMoves(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * What the flow looks at: stays from {@code start} on, as they stood at {@code until} (days counted to the day
     * {@code asOf}), of the accounts in a segment on the day each stay began ({@code segment} {@code null}: whatever
     * their segments) and among some accounts ({@code accounts} {@code null}: whichever they are).
     */
    record Scope(Instant start, Instant until, LocalDate asOf, ZoneId zone, UUID segment, Collection<UUID> accounts) {}

    /** How many of the accounts that entered a stage are still there, or left it for another stage or none. */
    record Outcome(String stage, boolean still, String movedTo, String movedToName, long accounts) {}

    /** How long the stays in a stage that ended in the period lasted, in days: how many, median and 75th percentile. */
    record Durations(String stage, long stays, long medianDays, long p75Days) {}

    /** One stay behind a number: the account, when it entered and left (null: still there) and where it went. */
    record Stay(UUID account, Instant enteredAt, Instant leftAt, String movedTo, String movedToName, long days) {}

    /** How many stays are behind a number, and the first of them (longest in the stage first). */
    record Stays(long total, List<Stay> stays) {}

    /** Which of the entries into a stage to list. */
    enum Entries {
        ALL,
        STILL_THERE,
        MOVED_TO
    }

    /** Of each stage, the accounts that entered it in the period, by where they went from there. */
    List<Outcome> outcomes(Scope scope) {
        Map<String, Object> params = params(scope);
        String sql = stays(scope, null) + """
                select stage, left_at is null as still, next_stage, max(next_name) as next_name, count(*) as accounts
                  from entries
                 group by stage, left_at is null, next_stage""";
        return jdbc.sql(sql)
                .params(params)
                .query((rs, row) -> new Outcome(
                        rs.getString("stage"),
                        rs.getBoolean("still"),
                        rs.getString("next_stage"),
                        rs.getString("next_name"),
                        rs.getLong("accounts")))
                .list();
    }

    /** Of each stage, the stays that ended in the period: how many, and how long they lasted. */
    Map<String, Durations> durations(Scope scope) {
        Map<String, Object> params = params(scope);
        String sql = filter("""
                select stage, count(*) as stays,
                       percentile_disc(0.5) within group (order by days) as median,
                       percentile_disc(0.75) within group (order by days) as p75
                  from (select s.stage, {leftDay} - {enteredDay} as days
                          from account_stage s
                         where s.left_at >= :start and s.left_at < :until {cohort} {segment}) completed
                 group by stage""", scope);
        Map<String, Durations> durations = new HashMap<>();
        jdbc.sql(sql).params(params).query(rs -> {
            durations.put(
                    rs.getString("stage"),
                    new Durations(rs.getString("stage"), rs.getLong("stays"), rs.getLong("median"), rs.getLong("p75")));
        });
        return durations;
    }

    /** Of each stage, the accounts in it at the end of the observation for longer than its limit in days. */
    Map<String, Long> stalled(Scope scope, Map<String, Long> limits) {
        Map<String, Object> params = params(scope);
        params.put("stages", new SqlArrayValue("text", limits.keySet().toArray()));
        params.put(
                "limits",
                new SqlArrayValue(
                        "int8", limits.keySet().stream().map(limits::get).toArray()));
        String sql = filter("""
                select s.stage, count(*) as accounts
                  from account_stage s
                  join unnest(:stages, :limits) as l(stage, days) on l.stage = s.stage
                 where s.entered_at < :until and (s.left_at is null or s.left_at >= :until) {cohort} {segment}
                   and :asOf - {enteredDay} > l.days
                 group by s.stage""", scope);
        Map<String, Long> stalled = new HashMap<>();
        jdbc.sql(sql).params(params).query(rs -> {
            stalled.put(rs.getString("stage"), rs.getLong("accounts"));
        });
        return stalled;
    }

    /**
     * The accounts that entered a stage in the period (each by its first entry there): all of them, those still there,
     * or those that moved on to a stage ({@code movedTo} {@code null}: to none); longest in the stage first.
     */
    Stays entries(Scope scope, String stage, Entries which, String movedTo, int limit) {
        Map<String, Object> params = params(scope);
        params.put("stage", stage);
        params.put("limit", limit);
        String condition = switch (which) {
            case ALL -> "";
            case STILL_THERE -> "and left_at is null";
            case MOVED_TO ->
                movedTo == null
                        ? "and left_at is not null and next_stage is null"
                        : "and left_at is not null and next_stage = :movedTo";
        };
        if (movedTo != null) {
            params.put("movedTo", movedTo);
        }
        // Only the accounts that entered the stage in the period need their stays ordered to find successors.
        String accounts = "and s.account_id in (select e.account_id from account_stage e where e.stage = :stage"
                + " and e.entered_at >= :start and e.entered_at < :until)";
        String sql = stays(scope, accounts) + filter("""
                        select account_id, entered_at, left_at, next_stage, next_name,
                               coalesce({leftDay}, :asOf) - {enteredDay} as days, count(*) over () as total
                          from entries s
                         where stage = :stage {condition}
                         order by days desc, entered_at, account_id
                         limit :limit""", scope).replace("{condition}", condition);
        return listed(sql, params);
    }

    /** The accounts in a stage at the end of the observation for longer than a number of days; longest first. */
    Stays stalledIn(Scope scope, String stage, long limitDays, int limit) {
        Map<String, Object> params = params(scope);
        params.put("stage", stage);
        params.put("limitDays", limitDays);
        params.put("limit", limit);
        String sql = filter("""
                select s.account_id, s.entered_at, null as left_at, null as next_stage, null as next_name,
                       :asOf - {enteredDay} as days, count(*) over () as total
                  from account_stage s
                 where s.stage = :stage and s.entered_at < :until and (s.left_at is null or s.left_at >= :until)
                       {cohort} {segment}
                   and :asOf - {enteredDay} > :limitDays
                 order by days desc, s.entered_at, s.account_id
                 limit :limit""", scope);
        return listed(sql, params);
    }

    /** The stays in a stage that ended in the period, with where each account went; longest first. */
    Stays completedIn(Scope scope, String stage, int limit) {
        Map<String, Object> params = params(scope);
        params.put("stage", stage);
        params.put("limit", limit);
        String sql = filter("""
                select c.account_id, c.entered_at, c.left_at, n.stage as next_stage, n.stage_name as next_name,
                       c.days, c.total
                  from (select s.id, s.account_id, s.entered_at, s.left_at, {leftDay} - {enteredDay} as days,
                               count(*) over () as total
                          from account_stage s
                         where s.stage = :stage and s.left_at >= :start and s.left_at < :until {cohort} {segment}
                         order by days desc, s.entered_at, s.account_id
                         limit :limit) c
                  left join lateral (select x.stage, x.stage_name from account_stage x
                                      where x.account_id = c.account_id and x.entered_at = c.left_at and x.id > c.id
                                      order by x.id limit 1) n on true
                 order by c.days desc, c.entered_at, c.account_id""", scope);
        return listed(sql, params);
    }

    private Stays listed(String sql, Map<String, Object> params) {
        long[] total = {0};
        List<Stay> stays = new ArrayList<>();
        jdbc.sql(sql).params(params).query(rs -> {
            total[0] = rs.getLong("total");
            stays.add(stay(rs));
        });
        return new Stays(total[0], stays);
    }

    private static Stay stay(ResultSet rs) throws SQLException {
        Timestamp left = rs.getTimestamp("left_at");
        return new Stay(
                rs.getObject("account_id", UUID.class),
                rs.getTimestamp("entered_at").toInstant(),
                left == null ? null : left.toInstant(),
                rs.getString("next_stage"),
                rs.getString("next_name"),
                rs.getLong("days"));
    }

    private static String stays(Scope scope, String accounts) {
        return filter(STAYS, scope).replace("{accounts}", accounts == null ? "" : accounts);
    }

    /** Puts the scope's filters and day arithmetic into a statement. */
    private static String filter(String sql, Scope scope) {
        String zone =
                scope.zone().normalized() instanceof ZoneOffset ? "cast(:zone as interval)" : "cast(:zone as text)";
        String enteredDay = DAY.replace("{column}", "s.entered_at");
        String dayAfter = "(cast(" + enteredDay + " + 1 as timestamp) at time zone {zone})";
        return sql.replace("{cohort}", scope.accounts() == null ? "" : "and s.account_id in (select unnest(:cohort))")
                .replace("{segment}", scope.segment() == null ? "" : IN_SEGMENT.replace("{dayAfter}", dayAfter))
                .replace("{enteredDay}", enteredDay)
                .replace("{leftDay}", DAY.replace("{column}", "s.left_at"))
                .replace("{zone}", zone);
    }

    private static Map<String, Object> params(Scope scope) {
        Map<String, Object> params = new HashMap<>();
        params.put("start", Timestamp.from(scope.start()));
        params.put("until", Timestamp.from(scope.until()));
        params.put("asOf", scope.asOf());
        params.put(
                "zone",
                scope.zone().normalized() instanceof ZoneOffset offset
                        ? offset.getTotalSeconds() + " seconds"
                        : scope.zone().getId());
        if (scope.segment() != null) {
            params.put("segment", scope.segment());
        }
        if (scope.accounts() != null) {
            params.put("cohort", new SqlArrayValue("uuid", scope.accounts().toArray()));
        }
        return params;
    }
}
