package dev.steward.activity;

import dev.steward.core.BulkResult;
import dev.steward.core.Cursor;
import dev.steward.core.Page;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.ObjectMapper;

/**
 * Stores and reads activity facts of every kind. Writes are one set-based statement per batch (arrays unnested into
 * an upsert), so ten thousand records cost one round trip, and a record that matches what is stored is left alone.
 */
@Repository
class Facts {

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final Clock clock;

    Facts(JdbcClient jdbc, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /** A record to write: its new id (used only if it is created), its account and the input. */
    record Row<I>(UUID id, UUID accountId, String externalId, I input) {}

    /** What became of a written record: its id (existing or new) and whether it was created, updated or unchanged. */
    record Written(UUID id, BulkResult.Status status) {}

    /**
     * Inserts new records and updates those whose (source, external id) exists and differ; returns the outcome per
     * external id. Records without an external id are always inserted under their new id.
     */
    <I extends ActivityInput> Map<String, Written> upsert(FactTable<I, ?> table, String source, List<Row<I>> rows) {
        Map<String, Written> outcome = new HashMap<>();
        if (rows.isEmpty()) {
            return outcome;
        }
        List<FactTable.Column<I>> columns = table.columns();
        Map<String, Object> params = new HashMap<>();
        params.put("source", source);
        params.put("at", Timestamp.from(clock.instant()));
        params.put("ids", new SqlArrayValue("uuid", rows.stream().map(Row::id).toArray()));
        params.put(
                "accounts",
                new SqlArrayValue("uuid", rows.stream().map(Row::accountId).toArray()));
        params.put(
                "externalIds",
                new SqlArrayValue("text", rows.stream().map(Row::externalId).toArray()));
        for (int c = 0; c < columns.size(); c++) {
            FactTable.Column<I> column = columns.get(c);
            Object[] values = new Object[rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                values[r] = text(column.value().apply(rows.get(r).input()));
            }
            params.put("c" + c, new SqlArrayValue("text", values));
        }
        String names = columns.stream().map(FactTable.Column::name).collect(Collectors.joining(", "));
        StringBuilder unnest = new StringBuilder("unnest(:ids, :accounts, :externalIds");
        StringBuilder aliases = new StringBuilder("id, account_id, external_id");
        StringBuilder casts = new StringBuilder();
        StringBuilder sets = new StringBuilder("account_id = excluded.account_id");
        for (int c = 0; c < columns.size(); c++) {
            FactTable.Column<I> column = columns.get(c);
            unnest.append(", :c").append(c);
            aliases.append(", c").append(c);
            casts.append(", c").append(c).append("::").append(column.type());
            sets.append(", ").append(column.name()).append(" = excluded.").append(column.name());
        }
        String stored = columns.stream().map(c -> "t." + c.name()).collect(Collectors.joining(", "));
        String incoming = columns.stream().map(c -> "excluded." + c.name()).collect(Collectors.joining(", "));
        String sql = """
                with v as (select * from %1$s) as v(%2$s)),
                     up as (insert into %3$s as t (id, account_id, source, external_id, created_at, updated_at, %4$s)
                            select id, account_id, :source, external_id, :at, :at%5$s from v order by external_id
                            on conflict (source, external_id) do update
                               set %6$s, updated_at = :at
                             where (t.account_id, %7$s) is distinct from (excluded.account_id, %8$s)
                            returning t.id, t.external_id, (t.xmax = 0) as inserted)
                select v.external_id, coalesce(up.id, t.id) as id, up.inserted
                  from v
                  left join up on up.external_id = v.external_id
                  left join %3$s t on t.source = :source and t.external_id = v.external_id
                 where v.external_id is not null""".formatted(unnest, aliases, table.table(), names, casts, sets, stored, incoming);
        jdbc.sql(sql)
                .params(params)
                .query((rs, n) -> {
                    Boolean inserted = (Boolean) rs.getObject("inserted");
                    BulkResult.Status status = inserted == null
                            ? BulkResult.Status.unchanged
                            : inserted ? BulkResult.Status.created : BulkResult.Status.updated;
                    return outcome.put(
                            rs.getString("external_id"), new Written(rs.getObject("id", UUID.class), status));
                })
                .list();
        // A record another writer stored after this statement began, and that matched it, is in no snapshot the
        // statement saw: it was left alone, so it is unchanged, and a new statement finds its id.
        List<String> unseen = outcome.entrySet().stream()
                .filter(e -> e.getValue().id() == null)
                .map(Map.Entry::getKey)
                .toList();
        if (!unseen.isEmpty()) {
            jdbc.sql("select external_id, id from " + table.table() + " where source = ? and external_id = any(?)")
                    .params(source, new SqlArrayValue("text", unseen.toArray()))
                    .query((rs, n) -> outcome.put(
                            rs.getString(1), new Written(rs.getObject(2, UUID.class), BulkResult.Status.unchanged)))
                    .list();
        }
        widenHorizon(table, source, rows);
        return outcome;
    }

    /** A removed fact: its account and the time it had become true. */
    record Removed(UUID accountId, Instant at) {}

    /** Removes the facts of a source with these external ids; answers what was removed (nothing for unknown ids). */
    List<Removed> remove(FactTable<?, ?> table, String source, Collection<String> externalIds) {
        if (externalIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("delete from " + table.table()
                        + " where source = ? and external_id = any(?) returning account_id, " + table.atExpression()
                        + " as at")
                .params(source, new SqlArrayValue("text", externalIds.toArray()))
                .query((rs, n) -> new Removed(
                        rs.getObject("account_id", UUID.class),
                        rs.getTimestamp("at").toInstant()))
                .list();
    }

    /** Widens the kind's horizon in the source to take in these facts' times, in the writer's transaction. */
    private <I extends ActivityInput> void widenHorizon(FactTable<I, ?> table, String source, List<Row<I>> rows) {
        Instant first = null;
        Instant last = null;
        for (Row<I> row : rows) {
            Instant at = table.at().apply(row.input());
            if (at == null) {
                continue;
            }
            first = first == null || at.isBefore(first) ? at : first;
            last = last == null || at.isAfter(last) ? at : last;
        }
        if (first == null) {
            return;
        }
        jdbc.sql("""
                        insert into activity_horizon (kind, source, first_at, last_at) values (?, ?, ?, ?)
                        on conflict (kind, source) do update
                           set first_at = least(activity_horizon.first_at, excluded.first_at),
                               last_at = greatest(activity_horizon.last_at, excluded.last_at)
                         where excluded.first_at < activity_horizon.first_at
                            or excluded.last_at > activity_horizon.last_at""")
                .params(table.kind(), source, Timestamp.from(first), Timestamp.from(last))
                .update();
    }

    <R> Optional<R> find(FactTable<?, R> table, UUID id, LocalDate today) {
        return jdbc.sql("select * from " + table.table() + " where id = ?")
                .param(id)
                .query((rs, n) -> table.reader().read(rs, today, json))
                .optional();
    }

    /** An account's facts of one kind, newest first, paged by (time, id). */
    <R> Page<R> list(FactTable<?, R> table, UUID accountId, int limit, String cursor, LocalDate today) {
        String type = table.atIsDate() ? "date" : "timestamptz";
        StringBuilder sql = new StringBuilder("select *, ")
                .append(table.atColumn())
                .append("::text as sort_key from ")
                .append(table.table())
                .append(" where account_id = :account");
        Map<String, Object> params = new HashMap<>();
        params.put("account", accountId);
        if (cursor != null && !cursor.isBlank()) {
            Cursor after = Cursor.decode(cursor);
            sql.append(" and (")
                    .append(table.atColumn())
                    .append(", id) < (cast(:after as ")
                    .append(type)
                    .append("), :afterId)");
            params.put("after", after.sortValue());
            params.put("afterId", after.id());
        }
        sql.append(" order by ")
                .append(table.atColumn())
                .append(" desc, id desc limit ")
                .append(limit + 1);
        List<Object[]> rows = jdbc.sql(sql.toString())
                .params(params)
                .query((rs, n) -> new Object[] {
                    table.reader().read(rs, today, json), rs.getString("sort_key"), rs.getObject("id", UUID.class)
                })
                .list();
        return page(rows, limit);
    }

    /**
     * Up to {@code count} of the account's facts of the given kinds, merged in {@link TimelineEntry#NEWEST_FIRST}
     * order, after a position in it ({@code null}: from the newest): one query.
     */
    List<TimelineEntry> timeline(
            Collection<FactTable<?, ?>> tables, UUID accountId, TimelineSource.Position after, int count) {
        Map<String, Object> params = new HashMap<>();
        params.put("account", accountId);
        if (after != null) {
            params.put("after", Timestamp.from(after.at()));
            params.put("afterId", after.id());
        }
        List<String> branches = new ArrayList<>();
        for (FactTable<?, ?> table : tables) {
            String at = table.atExpression();
            // Each branch is filtered and limited on its own so that it reads only the top of its index.
            branches.add("(select '" + table.kind() + "' as kind, id, " + at + " as at, " + table.titleSql()
                    + " as title, " + table.summarySql() + " as summary from " + table.table()
                    + " where account_id = :account"
                    + (after != null ? " and (" + at + ", id) < (cast(:after as timestamptz), :afterId)" : "")
                    + " order by " + at + " desc, id desc limit " + count + ")");
        }
        String sql = "select kind, id, at, title, summary from (" + String.join(" union all ", branches)
                + ") e order by at desc, id desc limit " + count;
        return jdbc.sql(sql)
                .params(params)
                .query((rs, n) -> new TimelineEntry(
                        rs.getString("kind"),
                        rs.getObject("id", UUID.class),
                        rs.getTimestamp("at").toInstant(),
                        rs.getString("title"),
                        rs.getString("summary")))
                .list();
    }

    /**
     * The latest time before {@code until} of any fact of these kinds, for each of these accounts that has one: one
     * probe of each kind's (account, time) index per account.
     */
    Map<UUID, Instant> latest(Collection<FactTable<?, ?>> tables, Collection<UUID> accounts, Instant until) {
        Map<UUID, Instant> latest = new HashMap<>();
        if (accounts.isEmpty() || tables.isEmpty()) {
            return latest;
        }
        String greatest = tables.stream()
                .map(t -> "(select max(" + t.atExpression() + ") from " + t.table()
                        + " f where f.account_id = a.id and " + t.atExpression() + " < :until)")
                .collect(Collectors.joining(", "));
        jdbc.sql("select a.id, " + (tables.size() == 1 ? greatest : "greatest(" + greatest + ")")
                        + " from unnest(:accounts) as a(id)")
                .param("accounts", new SqlArrayValue("uuid", accounts.toArray()))
                .param("until", Timestamp.from(until))
                .query(rs -> {
                    Timestamp at = rs.getTimestamp(2);
                    if (at != null) {
                        latest.put(rs.getObject(1, UUID.class), at.toInstant());
                    }
                });
        return latest;
    }

    /** The newest {@code count} facts of these kinds of these accounts from {@code since} to before {@code until}. */
    List<Timeline.AccountEntry> recent(
            Collection<FactTable<?, ?>> tables, Collection<UUID> accounts, Instant since, Instant until, int count) {
        if (accounts.isEmpty() || tables.isEmpty()) {
            return List.of();
        }
        List<String> branches = new ArrayList<>();
        for (FactTable<?, ?> table : tables) {
            String at = table.atExpression();
            branches.add("(select account_id, '" + table.kind() + "' as kind, id, " + at + " as at, "
                    + table.titleSql() + " as title, " + table.summarySql() + " as summary from " + table.table()
                    + " where account_id = any(:accounts) and " + at + " >= :since and " + at + " < :until"
                    + " order by " + at + " desc, id desc limit " + count + ")");
        }
        return jdbc.sql("select account_id, kind, id, at, title, summary from (" + String.join(" union all ", branches)
                        + ") e order by at desc, id desc limit " + count)
                .param("accounts", new SqlArrayValue("uuid", accounts.toArray()))
                .param("since", Timestamp.from(since))
                .param("until", Timestamp.from(until))
                .query((rs, n) -> new Timeline.AccountEntry(
                        rs.getObject("account_id", UUID.class),
                        new TimelineEntry(
                                rs.getString("kind"),
                                rs.getObject("id", UUID.class),
                                rs.getTimestamp("at").toInstant(),
                                rs.getString("title"),
                                rs.getString("summary"))))
                .list();
    }

    /** How many touches (meetings and notes) each of these accounts had from {@code from} to before {@code until}. */
    Map<UUID, Long> touchCounts(Collection<UUID> accounts, Instant from, Instant until) {
        Map<UUID, Long> counts = new HashMap<>();
        if (accounts.isEmpty()) {
            return counts;
        }
        jdbc.sql("""
                        select a.id,
                               (select count(*) from meeting m
                                 where m.account_id = a.id and m.occurred_at >= :from and m.occurred_at < :until)
                             + (select count(*) from note o
                                 where o.account_id = a.id and o.written_at >= :from and o.written_at < :until)
                          from unnest(:accounts) as a(id)""")
                .param("accounts", new SqlArrayValue("uuid", accounts.toArray()))
                .param("from", Timestamp.from(from))
                .param("until", Timestamp.from(until))
                .query(rs -> {
                    long touches = rs.getLong(2);
                    if (touches > 0) {
                        counts.put(rs.getObject(1, UUID.class), touches);
                    }
                });
        return counts;
    }

    /**
     * For each (account, since) pair, the time of the account's first touch at or after {@code since} and before
     * {@code until} ({@code null}: none), in the order of the pairs. One index probe per pair and kind.
     */
    List<Instant> firstTouches(List<UUID> accounts, List<Instant> since, Instant until) {
        if (accounts.isEmpty()) {
            return List.of();
        }
        Instant[] firsts = new Instant[accounts.size()];
        jdbc.sql("""
                        select p.n, least(
                            (select min(occurred_at) from meeting m
                              where m.account_id = p.account and m.occurred_at >= p.since and m.occurred_at < :until),
                            (select min(written_at) from note o
                              where o.account_id = p.account and o.written_at >= p.since and o.written_at < :until))
                          from unnest(:accounts, :since) with ordinality as p(account, since, n)""")
                .param("accounts", new SqlArrayValue("uuid", accounts.toArray()))
                .param(
                        "since",
                        new SqlArrayValue(
                                "timestamptz",
                                since.stream().map(Timestamp::from).toArray()))
                .param("until", Timestamp.from(until))
                .query(rs -> {
                    Timestamp at = rs.getTimestamp(2);
                    if (at != null) {
                        firsts[rs.getInt(1) - 1] = at.toInstant();
                    }
                });
        return java.util.Arrays.asList(firsts);
    }

    @SuppressWarnings("unchecked")
    private static <R> Page<R> page(List<Object[]> rows, int limit) {
        List<R> items = new ArrayList<>(Math.min(rows.size(), limit));
        rows.stream().limit(limit).forEach(r -> items.add((R) r[0]));
        String next = null;
        if (rows.size() > limit) {
            Object[] last = rows.get(limit - 1);
            next = new Cursor((String) last[1], (UUID) last[2]).encode();
        }
        return new Page<>(items, next);
    }

    /** The text form PostgreSQL casts back to the column's type; JSON for lists. */
    private String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof Collection<?> || value.getClass().isArray()) {
            return json.writeValueAsString(value);
        }
        if (value instanceof Instant || value instanceof LocalDate || value instanceof Enum<?>) {
            return value.toString();
        }
        return String.valueOf(value);
    }
}
