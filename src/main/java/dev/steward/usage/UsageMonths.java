package dev.steward.usage;

import dev.steward.core.BulkReads;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/**
 * The monthly rows scoring reads usage from ({@code usage_month}: one per account and month holding every metric;
 * {@code usage_account}), rebuilt from usage_daily for the accounts and months a write touched.
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
                            insert into usage_month (account_id, month, metrics)
                            select account_id, month, string_agg(block, ''::bytea order by metric)
                              from (select account_id, date_trunc('month', day)::date as month, metric,
                                           int2send(octet_length(convert_to(metric, 'UTF8'))::smallint)
                                               || convert_to(metric, 'UTF8') || int2send(count(*)::smallint)
                                               || string_agg(int2send(extract(day from day)::smallint), ''::bytea
                                                             order by day)
                                               || string_agg(float8send(value::float8), ''::bytea order by day)
                                               as block
                                      from usage_daily
                                     where account_id = any(:accounts) and day >= :from and day < :to
                                     group by 1, 2, 3) blocks
                             group by account_id, month
                            on conflict (account_id, month) do update set metrics = excluded.metrics""")
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
            jdbc.sql("""
                            insert into usage_metric_span (metric, first_day, last_day)
                            select metric, min(day), max(day)
                              from usage_daily
                             where account_id = any(:accounts) and day >= :from and day < :to
                             group by metric
                            on conflict (metric) do update
                               set first_day = least(usage_metric_span.first_day, excluded.first_day),
                                   last_day = greatest(usage_metric_span.last_day, excluded.last_day)
                             where excluded.first_day < usage_metric_span.first_day
                                or excluded.last_day > usage_metric_span.last_day""")
                    .param("accounts", new SqlArrayValue("uuid", chunk))
                    .param("from", firstMonth)
                    .param("to", afterLastMonth)
                    .update();
        }
    }

    /** The first and last day each metric has a value for any account. */
    Map<String, UsageSpan> spans() {
        Map<String, UsageSpan> spans = new HashMap<>();
        jdbc.sql("select metric, first_day, last_day from usage_metric_span").query(rs -> {
            spans.put(
                    rs.getString(1), new UsageSpan(rs.getObject(2, LocalDate.class), rs.getObject(3, LocalDate.class)));
        });
        return spans;
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
        Set<String> wanted = new HashSet<>(metrics);
        BulkReads.query(
                template,
                """
                        select account_id, month, metrics
                          from usage_month
                         where account_id = any(:accounts) and month >= :firstMonth and month <= :to""",
                Map.of(
                        "accounts",
                        new SqlArrayValue("uuid", (Object[]) ids),
                        "firstMonth",
                        from.withDayOfMonth(1),
                        "to",
                        to),
                rs -> {
                    Map<String, double[]> account =
                            daily.computeIfAbsent(rs.getObject(1, UUID.class), k -> new HashMap<>());
                    long monthStart = rs.getObject(2, LocalDate.class).toEpochDay() - 1;
                    ByteBuffer blocks = ByteBuffer.wrap(rs.getBytes(3));
                    while (blocks.hasRemaining()) {
                        byte[] key = new byte[blocks.getShort()];
                        blocks.get(key);
                        int count = blocks.getShort();
                        String metric = new String(key, StandardCharsets.UTF_8);
                        if (!wanted.contains(metric)) {
                            blocks.position(blocks.position() + count * 10);
                            continue;
                        }
                        double[] values = account.computeIfAbsent(metric, k -> {
                            double[] none = new double[length];
                            Arrays.fill(none, Double.NaN);
                            return none;
                        });
                        int daysAt = blocks.position();
                        int valuesAt = daysAt + 2 * count;
                        for (int i = 0; i < count; i++) {
                            int index = (int) (monthStart + blocks.getShort(daysAt + 2 * i) - from.toEpochDay());
                            if (index >= 0 && index < length) {
                                values[index] = blocks.getDouble(valuesAt + 8 * i);
                            }
                        }
                        blocks.position(valuesAt + 8 * count);
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
