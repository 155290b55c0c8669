package dev.steward.usage;

import dev.steward.core.BulkResult;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/** Stores daily usage values: set-based upserts for API batches, COPY through a staging table for large loads. */
@Repository
class UsageDays {

    static final String STAGING = "usage_daily_import";

    private final JdbcClient jdbc;
    private final DataSource dataSource;

    UsageDays(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    /** A value to write for an account, metric and day. */
    record Row(UUID accountId, String metric, LocalDate day, BigDecimal value) {

        String key() {
            return accountId + "/" + metric + "/" + day;
        }
    }

    /** Writes the rows; returns the status of each by {@link Row#key()}: created, updated or unchanged. */
    Map<String, BulkResult.Status> upsert(List<Row> rows) {
        Map<String, BulkResult.Status> outcome = new HashMap<>();
        rows.forEach(r -> outcome.put(r.key(), BulkResult.Status.unchanged));
        if (rows.isEmpty()) {
            return outcome;
        }
        jdbc.sql("""
                        insert into usage_daily as u (account_id, metric, day, value)
                        select account_id, metric, day::date, value::numeric
                          from unnest(:accounts, :metrics, :days, :values) as v(account_id, metric, day, value)
                        on conflict (account_id, metric, day) do update set value = excluded.value
                         where u.value is distinct from excluded.value
                        returning u.account_id, u.metric, u.day::text, (u.xmax = 0) as inserted""")
                .param(
                        "accounts",
                        new SqlArrayValue(
                                "uuid", rows.stream().map(Row::accountId).toArray()))
                .param(
                        "metrics",
                        new SqlArrayValue("text", rows.stream().map(Row::metric).toArray()))
                .param(
                        "days",
                        new SqlArrayValue(
                                "text",
                                rows.stream().map(r -> r.day().toString()).toArray()))
                .param(
                        "values",
                        new SqlArrayValue(
                                "text",
                                rows.stream()
                                        .map(r -> r.value().toPlainString())
                                        .toArray()))
                .query((rs, n) -> outcome.put(
                        rs.getObject(1, UUID.class) + "/" + rs.getString(2) + "/" + rs.getString(3),
                        rs.getBoolean(4) ? BulkResult.Status.created : BulkResult.Status.updated))
                .list();
        return outcome;
    }

    /** The account's values per metric, oldest day first; metric, from and to may be null (no bound). */
    Map<String, List<UsageSeries.Point>> series(UUID accountId, String metric, LocalDate from, LocalDate to) {
        Map<String, List<UsageSeries.Point>> series = new LinkedHashMap<>();
        StringBuilder sql = new StringBuilder("select metric, day, value from usage_daily where account_id = :account");
        Map<String, Object> params = new HashMap<>();
        params.put("account", accountId);
        if (metric != null) {
            sql.append(" and metric = :metric");
            params.put("metric", metric);
        }
        if (from != null) {
            sql.append(" and day >= :from");
            params.put("from", from);
        }
        if (to != null) {
            sql.append(" and day <= :to");
            params.put("to", to);
        }
        jdbc.sql(sql.append(" order by metric, day").toString())
                .params(params)
                .query((rs, n) -> series.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                        .add(new UsageSeries.Point(rs.getObject(2, LocalDate.class), rs.getBigDecimal(3))))
                .list();
        return series;
    }

    /**
     * Opens a COPY into the staging table, which is created for the current transaction and dropped at its end.
     * Must run inside a transaction so that the staging table and the merge share one connection.
     */
    Writer openStaging() {
        jdbc.sql("create temporary table if not exists " + STAGING
                        + " (account_id uuid, metric text, day date, value numeric) on commit drop")
                .update();
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            PGConnection postgres = connection.unwrap(PGConnection.class);
            return new BufferedWriter(
                    new OutputStreamWriter(
                            new PGCopyOutputStream(postgres, "copy " + STAGING + " from stdin", 1 << 16),
                            StandardCharsets.UTF_8),
                    1 << 16);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot start COPY into " + STAGING, e);
        }
    }

    /** Ends the COPY, after which the connection can run other statements again. */
    void finishStaging(Writer staging) {
        try {
            staging.close();
        } catch (IOException e) {
            throw new UncheckedIOException("COPY into " + STAGING + " failed", e);
        }
    }

    /** Moves the staged rows into usage_daily and empties the staging table; returns how many rows changed. */
    long mergeStaged() {
        long changed = jdbc.sql("insert into usage_daily as u (account_id, metric, day, value)"
                        + " select account_id, metric, day, value from " + STAGING
                        + " on conflict (account_id, metric, day) do update set value = excluded.value"
                        + " where u.value is distinct from excluded.value")
                .update();
        jdbc.sql("truncate " + STAGING).update();
        return changed;
    }
}
