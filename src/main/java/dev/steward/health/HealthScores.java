package dev.steward.health;

import dev.steward.health.engine.Color;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/** Stored daily scores: written a day at a time through COPY, read per account or per day. */
@Repository
class HealthScores {

    private static final String COLUMNS =
            "account_id, day, scorecard, scorecard_version, score, color, coverage, own_score, raw, ranks";

    /** The advisory lock key that serialises writers of scores. */
    private static final long WRITER_LOCK = 7_001;

    private final JdbcClient jdbc;
    private final DataSource dataSource;

    HealthScores(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    /**
     * Replaces the day's scores of the given accounts (or of every account when {@code accounts} is null) by these;
     * must run in a transaction so that readers see the old day or the new one, never half of it.
     */
    void replace(LocalDate day, Collection<UUID> accounts, List<AccountScore> scores, Instant computedAt) {
        lockWriters();
        if (accounts == null) {
            jdbc.sql("delete from health_score where day = ?").param(day).update();
        } else {
            jdbc.sql("delete from health_score where day = ? and account_id = any(?)")
                    .param(day)
                    .param(new SqlArrayValue("uuid", accounts.toArray()))
                    .update();
        }
        Connection connection = DataSourceUtils.getConnection(dataSource);
        String sql = "copy health_score (" + COLUMNS + ", computed_at) from stdin";
        StringBuilder line = new StringBuilder(512);
        String at = Timestamp.from(computedAt).toInstant().toString();
        // Streamed row by row into COPY: a run of every account never holds all its rows as text at once.
        try (Writer out = new BufferedWriter(
                new OutputStreamWriter(
                        new PGCopyOutputStream(connection.unwrap(PGConnection.class), sql, 1 << 16),
                        StandardCharsets.UTF_8),
                1 << 16)) {
            for (AccountScore score : scores) {
                line.setLength(0);
                line.append(score.account())
                        .append('\t')
                        .append(score.day())
                        .append('\t')
                        .append(escape(score.scorecard()))
                        .append('\t')
                        .append(score.scorecardVersion())
                        .append('\t')
                        .append((float) score.score())
                        .append('\t')
                        .append(score.color().name().toLowerCase(Locale.ROOT))
                        .append('\t')
                        .append((float) score.coverage())
                        .append('\t')
                        .append(score.ownScore() == null ? "\\N" : Float.toString((float) (double) score.ownScore()))
                        .append('\t');
                array(line, score.raw());
                line.append('\t');
                array(line, score.ranks());
                line.append('\t').append(at).append('\n');
                out.append(line);
            }
        } catch (SQLException e) {
            throw new UncategorizedSQLException("COPY of health scores", sql, e);
        } catch (IOException e) {
            throw new UncheckedIOException("COPY of health scores failed", e);
        }
    }

    /** An account's stored scores from {@code from} to {@code to}, oldest first. */
    List<AccountScore> history(UUID account, LocalDate from, LocalDate to) {
        return jdbc.sql("select " + COLUMNS
                        + " from health_score where account_id = ? and day between ? and ? order by day")
                .params(account, from, to)
                .query(HealthScores::score)
                .list();
    }

    /** An account's score on a day, if one is stored. */
    Optional<AccountScore> on(UUID account, LocalDate day) {
        return jdbc.sql("select " + COLUMNS + " from health_score where account_id = ? and day = ?")
                .params(account, day)
                .query(HealthScores::score)
                .optional();
    }

    Optional<Instant> computedAt(UUID account, LocalDate day) {
        return jdbc.sql("select computed_at from health_score where account_id = ? and day = ?")
                .params(account, day)
                .query((rs, n) -> rs.getTimestamp(1).toInstant())
                .optional();
    }

    /** An account's latest stored score on or before a day. */
    Optional<AccountScore> latest(UUID account, LocalDate onOrBefore) {
        return jdbc.sql("select " + COLUMNS
                        + " from health_score where account_id = ? and day <= ? order by day desc limit 1")
                .params(account, onOrBefore)
                .query(HealthScores::score)
                .optional();
    }

    /** Each account's latest stored score on or before a day, in one statement; accounts never scored are left out. */
    Map<UUID, AccountScore> latestScores(Collection<UUID> accounts, LocalDate upTo) {
        Map<UUID, AccountScore> latest = new HashMap<>();
        if (accounts.isEmpty()) {
            return latest;
        }
        jdbc.sql("select s.* from unnest(?) as a(id) join lateral (select " + COLUMNS
                        + " from health_score s where s.account_id = a.id and s.day <= ?"
                        + " order by s.day desc limit 1) s on true")
                .params(new SqlArrayValue("uuid", accounts.toArray()), upTo)
                .query(HealthScores::score)
                .list()
                .forEach(score -> latest.put(score.account(), score));
        return latest;
    }

    /**
     * The scores stored for these (account, day) pairs ({@code accounts} and {@code days} side by side), by account and
     * day, in one primary-key pass; pairs without a score are left out.
     */
    Map<UUID, Map<LocalDate, Double>> scoresOn(List<UUID> accounts, List<LocalDate> days) {
        Map<UUID, Map<LocalDate, Double>> scores = new HashMap<>();
        if (accounts.isEmpty()) {
            return scores;
        }
        jdbc.sql("""
                        select s.account_id, s.day, s.score
                          from unnest(:accounts, :days) as p(id, day)
                          join health_score s on s.account_id = p.id and s.day = p.day""")
                .param("accounts", new SqlArrayValue("uuid", accounts.toArray()))
                .param(
                        "days",
                        new SqlArrayValue(
                                "date",
                                days.stream().map(java.sql.Date::valueOf).toArray()))
                .query(rs -> {
                    scores.computeIfAbsent(rs.getObject(1, UUID.class), a -> new HashMap<>())
                            .put(rs.getObject(2, LocalDate.class), (double) rs.getFloat(3));
                });
        return scores;
    }

    /** Each account's coverage on the latest day it was scored up to the given one. */
    Map<UUID, Double> latestCoverages(Collection<UUID> accounts, LocalDate upTo) {
        Map<UUID, Double> coverages = new HashMap<>();
        jdbc.sql("""
                        select a.id, (select s.coverage from health_score s
                                       where s.account_id = a.id and s.day <= ? order by s.day desc limit 1)
                          from unnest(?) as a(id)""")
                .params(upTo, new SqlArrayValue("uuid", accounts.toArray()))
                .query(rs -> {
                    float coverage = rs.getFloat(2);
                    if (!rs.wasNull()) {
                        coverages.put(rs.getObject(1, UUID.class), (double) coverage);
                    }
                });
        return coverages;
    }

    /**
     * For each of these accounts scored on or before the day: the color that counted on its latest scored day and the
     * first scored day of the stretch of that color up to it (see {@link HealthColorSince}), in one statement. A day's
     * color is an override's when one applied that day (set by then, not expired, not removed: as
     * {@link HealthOverride#appliesOn}; one ends when the next is set, so they do not overlap). Walks each account's
     * scores back from the newest, through the primary key, only until the latest day of another color.
     */
    Map<UUID, HealthColorSince> colorsSince(Collection<UUID> accounts, LocalDate upTo, ZoneId zone) {
        Map<UUID, HealthColorSince> colors = new HashMap<>();
        if (accounts.isEmpty()) {
            return colors;
        }
        // A fixed offset as an interval (east positive); a region by name. Text such as '+02:00' would be read by
        // PostgreSQL as a POSIX zone, west positive.
        String at = zone instanceof ZoneOffset offset
                ? "make_interval(secs => " + offset.getTotalSeconds() + ")"
                : "cast(:zone as text)";
        String sql = """
                with o as (
                    select account_id, color, created_at, (created_at at time zone %1$s)::date as first_day,
                           least(expires_on, coalesce((ended_at at time zone %1$s)::date, 'infinity'::date)) as end_day
                      from health_override
                     where account_id = any(:accounts)
                ),
                counted as (select * from o where first_day < end_day)
                select a.id, latest.day as latest, now.color, since.day as since
                  from unnest(:accounts) as a(id)
                  join lateral (select s.day, s.color from health_score s
                                 where s.account_id = a.id and s.day <= :upTo
                                 order by s.day desc limit 1) latest on true
                  join lateral (select coalesce((select c.color from counted c
                                                  where c.account_id = a.id
                                                    and c.first_day <= latest.day and latest.day < c.end_day
                                                  order by c.created_at desc limit 1), latest.color) as color,
                                       exists (select 1 from counted c where c.account_id = a.id) as overridden) now
                    on true
                  join lateral (select greatest(
                                    (select max(s.day) from health_score s
                                      where s.account_id = a.id and s.day < latest.day and s.color <> now.color
                                        and (not now.overridden
                                             or not exists (select 1 from counted c
                                                             where c.account_id = a.id
                                                               and c.first_day <= s.day and s.day < c.end_day))),
                                    (select max(s.day) from counted c
                                       join health_score s on s.account_id = c.account_id
                                                           and s.day >= c.first_day and s.day < c.end_day
                                      where c.account_id = a.id and c.color <> now.color and s.day < latest.day))
                                    as day) other on true
                  join lateral (select min(s.day) as day from health_score s
                                 where s.account_id = a.id and s.day <= latest.day
                                   and s.day > coalesce(other.day, '-infinity'::date)) since on true""".formatted(at);
        JdbcClient.StatementSpec statement = jdbc.sql(sql)
                .param("accounts", new SqlArrayValue("uuid", accounts.toArray()))
                .param("upTo", upTo);
        if (!(zone instanceof ZoneOffset)) {
            statement = statement.param("zone", zone.getId());
        }
        statement.query(rs -> {
            UUID account = rs.getObject("id", UUID.class);
            colors.put(
                    account,
                    new HealthColorSince(
                            account,
                            Color.valueOf(rs.getString("color").toUpperCase(Locale.ROOT)),
                            rs.getObject("since", LocalDate.class),
                            rs.getObject("latest", LocalDate.class)));
        });
        return colors;
    }

    Map<UUID, Double> scoresOn(LocalDate day, Collection<UUID> accounts) {
        Map<UUID, Double> scores = new HashMap<>();
        jdbc.sql("select account_id, score from health_score where day = ? and account_id = any(?)")
                .param(day)
                .param(new SqlArrayValue("uuid", accounts.toArray()))
                .query(rs -> {
                    scores.put(rs.getObject(1, UUID.class), (double) rs.getFloat(2));
                });
        return scores;
    }

    /**
     * The days from one to another (both included) on which an account's stored color became the given one, from
     * another color on its previous stored day, with the score of that day, oldest first.
     */
    List<HealthScoring.ColorEntry> colorEntries(String color, LocalDate from, LocalDate to) {
        return jdbc.sql("""
                        select account_id, day, score from (
                            select account_id, day, score, color,
                                   lag(color) over (partition by account_id order by day) as before
                              from health_score
                             where day between (select coalesce(max(day), ?) from health_score where day < ?) and ?) s
                         where color = ? and before is not null and before <> color and day >= ?
                         order by day, account_id""")
                .params(from, from, to, color, from)
                .query((rs, n) -> new HealthScoring.ColorEntry(
                        rs.getObject(1, UUID.class), rs.getObject(2, LocalDate.class), rs.getFloat(3)))
                .list();
    }

    Map<LocalDate, Map<UUID, HealthScoring.StoredColor>> storedColors(
            Collection<UUID> accounts, Collection<LocalDate> days) {
        Map<LocalDate, Map<UUID, HealthScoring.StoredColor>> colors = new HashMap<>();
        days.forEach(day -> colors.put(day, new HashMap<>()));
        if (accounts.isEmpty() || days.isEmpty()) {
            return colors;
        }
        // Most accounts are scored every day: their scores on exactly these days come from one pass of the primary
        // key. Only the pairs without one walk back to the latest earlier score, one probe each.
        org.springframework.jdbc.core.RowCallbackHandler put = rs -> {
            HealthScoring.StoredColor color = new HealthScoring.StoredColor(
                    rs.getObject(1, UUID.class), rs.getObject(2, LocalDate.class), rs.getFloat(3), rs.getString(4));
            colors.get(color.day()).put(color.account(), color);
        };
        jdbc.sql("""
                        select account_id, day, score, color from health_score
                         where account_id = any(:accounts) and day = any(:days)""")
                .param("accounts", new SqlArrayValue("uuid", accounts.toArray()))
                .param(
                        "days",
                        new SqlArrayValue(
                                "date",
                                days.stream().map(java.sql.Date::valueOf).toArray()))
                .query(put);
        List<UUID> missingAccounts = new java.util.ArrayList<>();
        List<java.sql.Date> missingDays = new java.util.ArrayList<>();
        for (LocalDate day : days) {
            Map<UUID, HealthScoring.StoredColor> found = colors.get(day);
            for (UUID account : accounts) {
                if (!found.containsKey(account)) {
                    missingAccounts.add(account);
                    missingDays.add(java.sql.Date.valueOf(day));
                }
            }
        }
        if (!missingAccounts.isEmpty()) {
            jdbc.sql("""
                            select m.id, m.day, s.score, s.color
                              from unnest(:accounts, :days) as m(id, day)
                              join lateral (select s.score, s.color from health_score s
                                             where s.account_id = m.id and s.day < m.day
                                             order by s.day desc limit 1) s on true""")
                    .param("accounts", new SqlArrayValue("uuid", missingAccounts.toArray()))
                    .param("days", new SqlArrayValue("date", missingDays.toArray()))
                    .query(put);
        }
        return colors;
    }

    List<HealthScoring.ColorChange> colorChanges(
            Collection<UUID> accounts, LocalDate from, LocalDate to, int lookBack) {
        if (accounts.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                        select account_id, day, before, color, score from (
                            select account_id, day, score, color,
                                   lag(color) over (partition by account_id order by day) as before
                              from health_score
                             where account_id = any(:accounts) and day between :earliest and :to) s
                         where before is not null and before <> color and day >= :from
                         order by day desc, account_id""")
                .param("accounts", new SqlArrayValue("uuid", accounts.toArray()))
                .param("earliest", from.minusDays(lookBack))
                .param("from", from)
                .param("to", to)
                .query((rs, n) -> new HealthScoring.ColorChange(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, LocalDate.class),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getFloat(5)))
                .list();
    }

    /** Whether any account has a stored score from one day to another (both included). */
    boolean anyScored(LocalDate from, LocalDate to) {
        return jdbc.sql("select exists (select 1 from health_score where day between ? and ?)")
                .params(from, to)
                .query(Boolean.class)
                .single();
    }

    /** Each account's latest stored color from {@code daysBack} days before a day up to it. */
    void colorsOn(
            LocalDate day, int daysBack, Collection<UUID> accounts, java.util.function.BiConsumer<UUID, Color> sink) {
        jdbc.sql("select distinct on (account_id) account_id, color from health_score where day between ? and ?"
                        + (accounts == null ? "" : " and account_id = any(?)")
                        + " order by account_id, day desc")
                .params(
                        accounts == null
                                ? List.of(day.minusDays(daysBack), day)
                                : List.of(day.minusDays(daysBack), day, new SqlArrayValue("uuid", accounts.toArray())))
                .query(rs -> {
                    sink.accept(
                            rs.getObject(1, UUID.class),
                            Color.valueOf(rs.getString(2).toUpperCase(Locale.ROOT)));
                });
    }

    /**
     * Every account's latest stored color from {@code daysBack} days before each of these days up to it, and whether
     * anyone was scored in each of those spans, in two statements whatever the number of days: one pass of the days'
     * scores (through the day index), folded in the database into one row per account.
     */
    DailyColors colorsOn(List<LocalDate> days, int daysBack) {
        SqlArrayValue dates = dates(days);
        boolean[] anyScored = new boolean[days.size()];
        jdbc.sql("""
                        select d.ord, exists (select 1 from health_score s
                                               where s.day between d.day - cast(:back as integer) and d.day)
                          from unnest(cast(:days as date[])) with ordinality as d(day, ord)""").param("days", dates).param("back", daysBack).query(rs -> {
            anyScored[rs.getInt(1) - 1] = rs.getBoolean(2);
        });
        Map<UUID, Color[]> colors = new HashMap<>();
        jdbc.sql("""
                        with d as (select * from unnest(cast(:days as date[])) with ordinality as d(day, ord)),
                        latest as (
                            select distinct on (s.account_id, d.ord) s.account_id, d.ord, s.color
                              from d join health_score s on s.day between d.day - cast(:back as integer) and d.day
                             order by s.account_id, d.ord, s.day desc)
                        select account_id, array_agg(ord order by ord), array_agg(color order by ord)
                          from latest group by account_id""").param("days", dates).param("back", daysBack).query(rs -> {
            colors.put(rs.getObject(1, UUID.class), colorsByDay(rs, days.size()));
        });
        return new DailyColors(days, anyScored, colors);
    }

    /**
     * Each of these accounts' latest stored color on or before each of these days, in one statement: one probe of the
     * primary key per account and day, folded in the database into one row per account. A day counts as scored when
     * one of these accounts had a color by then.
     */
    DailyColors latestColors(Collection<UUID> accounts, List<LocalDate> days) {
        boolean[] anyScored = new boolean[days.size()];
        Map<UUID, Color[]> colors = new HashMap<>();
        if (!accounts.isEmpty() && !days.isEmpty()) {
            jdbc.sql("""
                            select a.id, array_agg(d.ord order by d.ord), array_agg(p.color order by d.ord)
                              from unnest(:accounts) as a(id)
                             cross join unnest(cast(:days as date[])) with ordinality as d(day, ord)
                              join lateral (select s.color from health_score s
                                             where s.account_id = a.id and s.day <= d.day
                                             order by s.day desc limit 1) p on true
                             group by a.id""")
                    .param("accounts", new SqlArrayValue("uuid", accounts.toArray()))
                    .param("days", dates(days))
                    .query(rs -> {
                        Color[] byDay = colorsByDay(rs, days.size());
                        colors.put(rs.getObject(1, UUID.class), byDay);
                        for (int day = 0; day < byDay.length; day++) {
                            anyScored[day] |= byDay[day] != null;
                        }
                    });
        }
        return new DailyColors(days, anyScored, colors);
    }

    private static SqlArrayValue dates(List<LocalDate> days) {
        return new SqlArrayValue(
                "date", days.stream().map(java.sql.Date::valueOf).toArray());
    }

    /** A row's days (1-based positions, column 2) and colors (column 3) as one color per day, null where none. */
    private static Color[] colorsByDay(ResultSet rs, int days) throws SQLException {
        Object[] positions = (Object[]) rs.getArray(2).getArray();
        Object[] names = (Object[]) rs.getArray(3).getArray();
        Color[] byDay = new Color[days];
        for (int i = 0; i < positions.length; i++) {
            byDay[((Number) positions[i]).intValue() - 1] = Color.valueOf(((String) names[i]).toUpperCase(Locale.ROOT));
        }
        return byDay;
    }

    /** Every account's score on a day, by account. */
    Map<UUID, Double> scoresOn(LocalDate day) {
        Map<UUID, Double> scores = new HashMap<>();
        jdbc.sql("select account_id, score from health_score where day = ?")
                .param(day)
                .query(rs -> {
                    scores.put(rs.getObject(1, UUID.class), (double) rs.getFloat(2));
                });
        return scores;
    }

    /**
     * Each account's color as last stored on the day or on the latest earlier day with scores (of all accounts when
     * {@code accounts} is null): what a new score's color is compared with to tell a change.
     */
    Map<UUID, Color> previousColors(LocalDate day, Collection<UUID> accounts) {
        LocalDate earlier = jdbc.sql("select max(day) from health_score where day < ?")
                .param(day)
                .query(LocalDate.class)
                .optional()
                .orElse(day);
        Map<UUID, Color> colors = new HashMap<>();
        String sql = "select distinct on (account_id) account_id, color from health_score where day in (:day, :earlier)"
                + (accounts == null ? "" : " and account_id = any(:accounts)")
                + " order by account_id, day desc";
        JdbcClient.StatementSpec statement =
                jdbc.sql(sql).param("day", day).param("earlier", earlier == null ? day : earlier);
        if (accounts != null) {
            statement = statement.param("accounts", new SqlArrayValue("uuid", accounts.toArray()));
        }
        statement.query(rs -> {
            colors.put(
                    rs.getObject(1, UUID.class), Color.valueOf(rs.getString(2).toUpperCase(Locale.ROOT)));
        });
        return colors;
    }

    /** The raw values of every account scored on a day with a scorecard version: its segment, for percentiles. */
    List<double[]> rawOn(LocalDate day, String scorecard, int version) {
        return jdbc.sql("select raw::text from health_score where day = ? and scorecard = ? and scorecard_version = ?")
                .params(day, scorecard, version)
                .query((rs, n) -> decimals(rs.getString(1)))
                .list();
    }

    /** The days that have stored scores, newest first. */
    List<LocalDate> days(int limit) {
        return jdbc.sql("select distinct day from health_score order by day desc limit ?")
                .param(limit)
                .query(LocalDate.class)
                .list();
    }

    /**
     * Waits until no other transaction writes scores, and keeps them from doing so until this one ends. One writer at a
     * time across instances: a full re-score and a few accounts' re-score of the same day must not interleave their
     * deletes and inserts, and scores computed for an account before it was deleted must not be stored after its
     * scores were removed.
     */
    void lockWriters() {
        jdbc.sql("select pg_advisory_xact_lock(" + WRITER_LOCK + ")").query().singleRow();
    }

    /** Removes an account's scores and overrides, once no writer that may still store its scores is under way. */
    void deleteAccount(UUID account) {
        lockWriters();
        jdbc.sql("delete from health_score where account_id = ?").param(account).update();
        jdbc.sql("delete from health_override where account_id = ?")
                .param(account)
                .update();
    }

    private static AccountScore score(ResultSet rs, int row) throws SQLException {
        Object own = rs.getObject("own_score");
        return new AccountScore(
                rs.getObject("account_id", UUID.class),
                rs.getObject("day", LocalDate.class),
                rs.getString("scorecard"),
                rs.getInt("scorecard_version"),
                rs.getFloat("score"),
                Color.valueOf(rs.getString("color").toUpperCase(Locale.ROOT)),
                rs.getFloat("coverage"),
                own == null ? null : ((Number) own).doubleValue(),
                decimals(rs.getString("raw")),
                decimals(rs.getString("ranks")));
    }

    private static void array(StringBuilder line, double[] values) {
        line.append('{');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(Double.isNaN(values[i]) ? "NaN" : Double.toString(values[i]));
        }
        line.append('}');
    }

    /**
     * A float8[] as text. PgJDBC renders arrays itself once a statement has switched to binary results (after five
     * runs), quoting every element: {@code {"720.0","NaN"}} rather than the server's {@code {720,NaN}}.
     */
    static double[] decimals(String array) {
        String inner = array.substring(1, array.length() - 1);
        if (inner.isEmpty()) {
            return new double[0];
        }
        String[] parts = inner.split(",");
        double[] values = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            values[i] = Double.parseDouble(part.startsWith("\"") ? part.substring(1, part.length() - 1) : part);
        }
        return values;
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }
}
