package dev.steward.ingest.quality;

import dev.steward.core.Cursor;
import dev.steward.core.Page;
import dev.steward.ingest.quality.DataQualityReport.AccountRow;
import dev.steward.ingest.quality.DataQualityReport.KindFreshness;
import dev.steward.ingest.quality.DataQualityReport.KindSummary;
import dev.steward.ingest.quality.DataQualityReport.SourceRow;
import dev.steward.ingest.quality.DataQualityReport.State;
import dev.steward.ingest.quality.DataQualityReport.Summary;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Repository;

/** The data-quality snapshot (latest fact per account and kind) and the freshness of each source. */
@Repository
class FreshnessSnapshot {

    /** One account's latest fact per kind, as gathered from the modules. */
    record Row(UUID accountId, String name, Map<DataKind, Instant> latest) {}

    /** Which accounts to list: by name, and by the state of one kind (or of any kind when none is given). */
    record Query(String search, DataKind kind, State state, int limit, String cursor) {}

    private final JdbcClient jdbc;
    private final DataSource dataSource;

    FreshnessSnapshot(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    /** Makes refreshes on several instances take turns; false when another one is rebuilding right now. */
    boolean tryLock() {
        return Boolean.TRUE.equals(jdbc.sql("select pg_try_advisory_xact_lock(6021)")
                .query(Boolean.class)
                .single());
    }

    /**
     * Replaces the snapshot with {@code rows} in the caller's transaction: emptied with TRUNCATE, which leaves no dead
     * rows behind to slow later reads, and filled with COPY, the fastest way PostgreSQL takes rows in. Readers wait for
     * the few seconds this takes rather than see half a snapshot.
     */
    void replace(List<Row> rows, Instant at) {
        jdbc.sql("truncate ingest_account_freshness").update();
        // A trigram index built over all rows at once costs a fraction of one kept up row by row.
        jdbc.sql("drop index ingest_account_freshness_name_trigrams").update();
        StringBuilder text = new StringBuilder(rows.size() * 120);
        for (Row row : rows) {
            text.append(row.accountId()).append('\t');
            copyField(text, row.name());
            for (DataKind kind : DataKind.values()) {
                Instant latest = row.latest().get(kind);
                text.append('\t').append(latest == null ? "\\N" : latest.toString());
            }
            text.append('\n');
        }
        String sql = "copy ingest_account_freshness"
                + " (account_id, name, crm_at, usage_at, support_at, billing_at, engagement_at) from stdin";
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, new StringReader(text.toString()));
        } catch (SQLException e) {
            throw new UncategorizedSQLException("COPY of the data-quality snapshot", sql, e);
        } catch (IOException e) {
            throw new UncheckedIOException("COPY of the data-quality snapshot failed", e);
        }
        jdbc.sql("create index ingest_account_freshness_name_trigrams on ingest_account_freshness"
                        + " using gin (name gin_trgm_ops)")
                .update();
        jdbc.sql("""
                        insert into ingest_freshness_refresh (only_row, refreshed_at, accounts) values (true, ?, ?)
                        on conflict (only_row) do update set refreshed_at = excluded.refreshed_at,
                            accounts = excluded.accounts""").params(Timestamp.from(at), rows.size()).update();
    }

    /** Appends a value in COPY's text format. */
    private static void copyField(StringBuilder text, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> text.append(c);
            }
        }
    }

    Optional<Instant> refreshedAt() {
        return jdbc.sql("select refreshed_at from ingest_freshness_refresh")
                .query((rs, n) -> rs.getTimestamp(1).toInstant())
                .optional();
    }

    /** Counts per kind in one pass over the snapshot, judged as of {@code asOf}. */
    Summary summary(Instant asOf, DataQualityProperties properties) {
        StringBuilder sql = new StringBuilder("select count(*) as accounts");
        Map<String, Object> params = new HashMap<>();
        for (DataKind kind : DataKind.values()) {
            sql.append(", count(")
                    .append(kind.column())
                    .append(") as ")
                    .append(kind.name())
                    .append("_present");
            sql.append(", count(*) filter (where ")
                    .append(kind.column())
                    .append(" < :")
                    .append(kind.name())
                    .append(") as ")
                    .append(kind.name())
                    .append("_stale");
            params.put(kind.name(), Timestamp.from(cutoff(asOf, properties, kind)));
        }
        sql.append(" from ingest_account_freshness");
        return jdbc.sql(sql.toString())
                .params(params)
                .query((rs, n) -> {
                    long accounts = rs.getLong("accounts");
                    Map<DataKind, KindSummary> kinds = new EnumMap<>(DataKind.class);
                    for (DataKind kind : DataKind.values()) {
                        long present = rs.getLong(kind.name() + "_present");
                        long stale = rs.getLong(kind.name() + "_stale");
                        kinds.put(
                                kind,
                                new KindSummary(
                                        kind.label(),
                                        kind.facts(),
                                        present - stale,
                                        stale,
                                        accounts - present,
                                        properties.staleAfter(kind).toDays()));
                    }
                    return new Summary(asOf, accounts, kinds, DataQualityReport.NoScorecard.of(0));
                })
                .single();
    }

    /** A page of accounts by name, judged as of {@code now}, keyset-paged so that deep pages cost what the first does. */
    Page<AccountRow> accounts(Query query, Instant now, DataQualityProperties properties) {
        StringBuilder where = new StringBuilder("where true");
        Map<String, Object> params = new HashMap<>();
        if (query.search() != null && !query.search().isBlank()) {
            String search = query.search().trim();
            // The trigram index answers searches of three characters or more; a shorter one holds no trigram.
            where.append(search.length() < 3 ? " and (name || '')" : " and name")
                    .append(" ilike :search escape '\\'");
            params.put("search", "%" + escapeLike(search) + "%");
        }
        if (query.state() != null) {
            List<String> conditions = new ArrayList<>();
            for (DataKind kind : query.kind() == null ? DataKind.values() : new DataKind[] {query.kind()}) {
                String cutoff = kind.name() + "_cutoff";
                params.put(cutoff, Timestamp.from(cutoff(now, properties, kind)));
                conditions.add(
                        switch (query.state()) {
                            case missing -> kind.column() + " is null";
                            case stale -> kind.column() + " < :" + cutoff;
                            case fresh -> kind.column() + " >= :" + cutoff;
                        });
            }
            where.append(" and (").append(String.join(" or ", conditions)).append(")");
        } else if (query.kind() != null) {
            where.append(" and ").append(query.kind().column()).append(" is not null");
        }
        if (query.cursor() != null) {
            Cursor cursor = Cursor.decode(query.cursor());
            where.append(" and (lower(name), account_id) > (:afterName, :afterId)");
            params.put("afterName", cursor.sortValue());
            params.put("afterId", cursor.id());
        }
        params.put("limit", query.limit() + 1);
        List<AccountRow> rows = jdbc.sql("select * from ingest_account_freshness " + where
                        + " order by lower(name), account_id limit :limit")
                .params(params)
                .query((rs, n) -> row(rs, now, properties))
                .list();
        String next = null;
        if (rows.size() > query.limit()) {
            rows = rows.subList(0, query.limit());
            AccountRow last = rows.get(rows.size() - 1);
            next = new Cursor(last.name().toLowerCase(), last.accountId()).encode();
        }
        return new Page<>(rows, next);
    }

    /**
     * Every source with the time it last delivered anything, its totals over the last seven days and its quarantined
     * events; a source with an expected interval is quiet when nothing arrived for longer than that (counted from its
     * creation if nothing ever arrived).
     */
    List<SourceRow> sources(Instant now) {
        LocalDate weekAgo = now.atOffset(ZoneOffset.UTC).toLocalDate().minusDays(6);
        return jdbc.sql("""
                        select s.name, s.kind, s.expected_interval_hours, s.created_at,
                               max(r.last_received_at) as last_received_at,
                               coalesce(sum(r.accepted) filter (where r.day >= :weekAgo), 0) as accepted,
                               coalesce(sum(r.rejected) filter (where r.day >= :weekAgo), 0) as rejected,
                               (select count(*) from segment_quarantine q where q.source_id = s.id) as quarantined
                        from ingest_source s left join ingest_receipt_daily r on r.source_id = s.id
                        group by s.id order by s.name""")
                .param("weekAgo", weekAgo)
                .query((rs, n) -> {
                    Integer expected = (Integer) rs.getObject("expected_interval_hours");
                    Timestamp last = rs.getTimestamp("last_received_at");
                    Instant lastReceived = last == null ? null : last.toInstant();
                    Instant since =
                            lastReceived == null ? rs.getTimestamp("created_at").toInstant() : lastReceived;
                    long silentHours = Duration.between(since, now).toHours();
                    boolean quiet =
                            expected != null && Duration.between(since, now).compareTo(Duration.ofHours(expected)) > 0;
                    String status;
                    if (expected == null) {
                        status = lastReceived == null
                                ? "nothing received yet; no interval expected"
                                : "no interval expected";
                    } else if (quiet) {
                        status = (lastReceived == null ? "nothing received in the " : "silent for ") + silentHours
                                + " h, expected every " + expected + " h";
                    } else {
                        status = lastReceived == null ? "waiting for the first delivery" : "on time";
                    }
                    return new SourceRow(
                            rs.getString("name"),
                            rs.getString("kind"),
                            expected,
                            lastReceived,
                            lastReceived == null
                                    ? null
                                    : Duration.between(lastReceived, now).toHours(),
                            quiet,
                            status,
                            rs.getLong("accepted"),
                            rs.getLong("rejected"),
                            rs.getLong("quarantined"));
                })
                .list();
    }

    private static AccountRow row(ResultSet rs, Instant now, DataQualityProperties properties) throws SQLException {
        Map<DataKind, KindFreshness> kinds = new EnumMap<>(DataKind.class);
        for (DataKind kind : DataKind.values()) {
            Timestamp at = rs.getTimestamp(kind.column());
            Instant latest = at == null ? null : at.toInstant();
            State state = latest == null
                    ? State.missing
                    : latest.isBefore(cutoff(now, properties, kind)) ? State.stale : State.fresh;
            kinds.put(kind, new KindFreshness(state, latest));
        }
        return new AccountRow(rs.getObject("account_id", UUID.class), rs.getString("name"), kinds);
    }

    private static Instant cutoff(Instant now, DataQualityProperties properties, DataKind kind) {
        return now.minus(properties.staleAfter(kind));
    }

    private static Timestamp timestamp(Instant at) {
        return at == null ? null : Timestamp.from(at);
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
