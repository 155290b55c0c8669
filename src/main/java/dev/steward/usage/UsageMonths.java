package dev.steward.usage;

import dev.steward.core.BulkReads;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/**
 * The monthly rows scoring reads usage from ({@code usage_month}, {@code usage_account}), rebuilt from usage_daily for
 * the accounts and months a write touched.
 */
@Repository
class UsageMonths {

    /** Accounts per statement when rebuilding: bounds the rows one statement groups however large the load. */
    private static final int REFRESH_CHUNK = 1_000;

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    UsageMonths(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /** Rebuilds the months from {@code from} to {@code to} (inclusive days) of these accounts from usage_daily. */
    void refresh(Collection<UUID> accounts, LocalDate from, LocalDate to) {
        List<UUID> all = new ArrayList<>(accounts);
        LocalDate firstMonth = from.withDayOfMonth(1);
        LocalDate afterLastMonth = to.withDayOfMonth(1).plusMonths(1);
        for (int start = 0; start < all.size(); start += REFRESH_CHUNK) {
            Object[] chunk = all.subList(start, Math.min(all.size(), start + REFRESH_CHUNK))
                    .toArray();
            jdbc.sql("""
                            insert into usage_month (account_id, metric, month, days, vals)
                            select account_id, metric, date_trunc('month', day)::date,
                                   string_agg(int2send(extract(day from day)::smallint), ''::bytea order by day),
                                   string_agg(float8send(value::float8), ''::bytea order by day)
                              from usage_daily
                             where account_id = any(:accounts) and day >= :from and day < :to
                             group by 1, 2, 3
                            on conflict (account_id, metric, month) do update
                               set days = excluded.days, vals = excluded.vals""")
                    .param("accounts", new SqlArrayValue("uuid", chunk))
                    .param("from", firstMonth)
                    .param("to", afterLastMonth)
                    .update();
            jdbc.sql("""
                            insert into usage_account (account_id, first_day, last_day)
                            select account_id, min(day), max(day)
                              from usage_daily
                             where account_id = any(:accounts) and day >= :from and day < :to
                             group by account_id
                            on conflict (account_id) do update
                               set first_day = least(usage_account.first_day, excluded.first_day),
                                   last_day = greatest(usage_account.last_day, excluded.last_day)""")
                    .param("accounts", new SqlArrayValue("uuid", chunk))
                    .param("from", firstMonth)
                    .param("to", afterLastMonth)
                    .update();
        }
    }

    void delete(UUID account) {
        jdbc.sql("delete from usage_month where account_id = ?").param(account).update();
        jdbc.sql("delete from usage_account where account_id = ?")
                .param(account)
                .update();
    }

    /** The accounts' usage of these metrics from {@code from} to {@code to}, by account. */
    Map<UUID, UsageWindow> read(Collection<UUID> accounts, Collection<String> metrics, LocalDate from, LocalDate to) {
        int length = (int) (to.toEpochDay() - from.toEpochDay() + 1);
        Map<UUID, Map<String, double[]>> daily = new HashMap<>();
        UUID[] ids = accounts.toArray(UUID[]::new);
        BulkReads.query(
                template,
                """
                        select account_id, metric, month, days, vals
                          from usage_month
                         where account_id = any(:accounts) and metric = any(:metrics)
                           and month >= :firstMonth and month <= :to""",
                Map.of(
                        "accounts",
                        new SqlArrayValue("uuid", (Object[]) ids),
                        "metrics",
                        new SqlArrayValue("text", metrics.toArray()),
                        "firstMonth",
                        from.withDayOfMonth(1),
                        "to",
                        to),
                rs -> {
                    double[] values = daily.computeIfAbsent(rs.getObject(1, UUID.class), k -> new HashMap<>())
                            .computeIfAbsent(rs.getString(2), k -> {
                                double[] none = new double[length];
                                Arrays.fill(none, Double.NaN);
                                return none;
                            });
                    long monthStart = rs.getObject(3, LocalDate.class).toEpochDay() - 1;
                    ByteBuffer days = ByteBuffer.wrap(rs.getBytes(4));
                    ByteBuffer vals = ByteBuffer.wrap(rs.getBytes(5));
                    while (days.hasRemaining()) {
                        int index = (int) (monthStart + days.getShort() - from.toEpochDay());
                        double value = vals.getDouble();
                        if (index >= 0 && index < length) {
                            values[index] = value;
                        }
                    }
                });
        Map<UUID, LocalDate> since = new HashMap<>();
        BulkReads.query(
                template,
                "select account_id, first_day from usage_account where account_id = any(:accounts)",
                Map.of("accounts", new SqlArrayValue("uuid", (Object[]) ids)),
                rs -> {
                    since.put(rs.getObject(1, UUID.class), rs.getObject(2, LocalDate.class));
                });
        Map<UUID, UsageWindow> windows = new HashMap<>();
        for (UUID account : ids) {
            windows.put(account, new UsageWindow(from, to, since.get(account), daily.getOrDefault(account, Map.of())));
        }
        return windows;
    }
}
