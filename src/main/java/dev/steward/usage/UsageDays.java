package dev.steward.usage;

import dev.steward.core.BulkResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/** Stores daily usage values: set-based upserts for API batches, COPY through a staging table for large loads. */
@Repository
class UsageDays {

    static final String STAGING = "usage_daily_import";

    private static final String APPEND =
            "copy usage_daily (account_id, metric, day, value) from stdin with (format binary)";

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

    /** The connection of the current transaction, for a COPY made on another thread while the caller goes on. */
    Connection transactionConnection() {
        return DataSourceUtils.getConnection(dataSource);
    }

    /**
     * Appends rows (COPY's binary format) straight to usage_daily on the transaction's connection, or, when any of
     * them is stored already, undoes the append (a savepoint undoes the failed COPY alone) and returns -1.
     */
    long appendUnlessStored(Connection connection, byte[] rows, int length) {
        try {
            Savepoint before = connection.setSavepoint();
            try {
                long appended = connection
                        .unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyIn(APPEND, new ByteArrayInputStream(rows, 0, length));
                connection.releaseSavepoint(before);
                return appended;
            } catch (SQLException e) {
                if (!"23505".equals(e.getSQLState())) {
                    throw e;
                }
                connection.rollback(before);
                return -1;
            }
        } catch (SQLException e) {
            throw new UncategorizedSQLException("COPY of usage rows", APPEND, e);
        } catch (IOException e) {
            throw new UncheckedIOException("COPY of usage rows failed", e);
        }
    }

    /** The last day with usage stored, as an epoch day, of those of these accounts that have any. */
    Map<UUID, Long> lastDays(Collection<UUID> accounts) {
        Map<UUID, Long> last = new HashMap<>();
        jdbc.sql("select account_id, last_day from usage_account where account_id = any(:accounts)")
                .param("accounts", new SqlArrayValue("uuid", accounts.toArray()))
                .query(rs -> {
                    last.put(
                            rs.getObject(1, UUID.class),
                            rs.getObject(2, LocalDate.class).toEpochDay());
                });
        return last;
    }

    /** Copies rows into the transaction's staging table, to be merged by {@link #mergeStaged()}. */
    void stage(byte[] rows, int length) {
        jdbc.sql("create temporary table if not exists " + STAGING
                        + " (account_id uuid, metric text, day date, value numeric) on commit drop")
                .update();
        copy("copy " + STAGING + " from stdin with (format binary)", rows, length);
    }

    private long copy(String sql, byte[] rows, int length) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            return connection
                    .unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn(sql, new ByteArrayInputStream(rows, 0, length));
        } catch (SQLException e) {
            throw new UncategorizedSQLException("COPY of usage rows", sql, e);
        } catch (IOException e) {
            throw new UncheckedIOException("COPY of usage rows failed", e);
        }
    }

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
