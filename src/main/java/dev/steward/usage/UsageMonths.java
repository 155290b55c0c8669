package dev.steward.usage;

import dev.steward.core.BulkReads;
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

    /** Account months per statement when folding written values in: bounds what one statement reads and writes. */
    private static final int FOLD_CHUNK = 2_000;

    /** Accounts per statement when widening their spans. */
    private static final int SPAN_CHUNK = 10_000;

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    UsageMonths(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /**
     * Brings the derived rows up to date with what a write stored: its values folded into the accounts' months and
     * the accounts' and metrics' spans widened by its days.
     */
    void refresh(WrittenUsage written) {
        if (written.isEmpty()) {
            return;
        }
        fold(written);
        widen("usage_account", "account_id", "uuid", written.byAccount());
        widen("usage_metric_span", "metric", "text", written.byMetric());
    }

    /**
     * Lays the values written (and not folded yet) over the months stored, which usage_daily's rows of those months
     * were packed into, and empties them: the same as packing usage_daily's rows again, without reading them.
     */
    void fold(WrittenUsage written) {
        List<WrittenUsage.AccountMonth> keys = new ArrayList<>(written.pending().keySet());
        for (int start = 0; start < keys.size(); start += FOLD_CHUNK) {
            List<WrittenUsage.AccountMonth> chunk = keys.subList(start, Math.min(keys.size(), start + FOLD_CHUNK));
            Map<WrittenUsage.AccountMonth, Map<String, double[]>> months = new HashMap<>();
            chunk.forEach(key -> months.put(key, written.pending().get(key)));
            BulkReads.query(
                    template,
                    """
                            select u.account_id, u.month, u.metrics
                              from unnest(:accounts, :months) as k(account_id, month)
                              join usage_month u on u.account_id = k.account_id and u.month = k.month""",
                    Map.of(
                            "accounts",
                            new SqlArrayValue(
                                    "uuid",
                                    chunk.stream()
                                            .map(WrittenUsage.AccountMonth::account)
                                            .toArray()),
                            "months",
                            monthsOf(chunk)),
                    rs -> {
                        WrittenUsage.AccountMonth key = new WrittenUsage.AccountMonth(
                                rs.getObject(1, UUID.class),
                                rs.getObject(2, LocalDate.class).toEpochDay());
                        Map<String, double[]> stored = MonthBlocks.unpack(rs.getBytes(3));
                        months.get(key).forEach((metric, values) -> {
                            double[] into = stored.computeIfAbsent(metric, k -> MonthBlocks.empty());
                            for (int day = 0; day < MonthBlocks.DAYS; day++) {
                                if (!Double.isNaN(values[day])) {
                                    into[day] = values[day];
                                }
                            }
                        });
                        months.put(key, stored);
                    });
            byte[][] packed = new byte[chunk.size()][];
            for (int i = 0; i < chunk.size(); i++) {
                packed[i] = MonthBlocks.pack(months.get(chunk.get(i)));
            }
            jdbc.sql("""
                            insert into usage_month (account_id, month, metrics)
                            select * from unnest(:accounts, :months, :metrics)
                            on conflict (account_id, month) do update set metrics = excluded.metrics""")
                    .param(
                            "accounts",
                            new SqlArrayValue(
                                    "uuid",
                                    chunk.stream()
                                            .map(WrittenUsage.AccountMonth::account)
                                            .toArray()))
                    .param("months", monthsOf(chunk))
                    .param("metrics", new SqlArrayValue("bytea", (Object[]) packed))
                    .update();
        }
        written.folded();
    }

    private static SqlArrayValue monthsOf(List<WrittenUsage.AccountMonth> keys) {
        return days(keys.stream().map(WrittenUsage.AccountMonth::month).toList());
    }

    /**
     * Widens the stored spans of a table keyed by one column ({@code usage_account} by account, {@code
     * usage_metric_span} by metric) by the first and last days written per key.
     */
    private void widen(String table, String key, String keyType, Map<?, long[]> spans) {
        List<? extends Map.Entry<?, long[]>> all = new ArrayList<>(spans.entrySet());
        for (int start = 0; start < all.size(); start += SPAN_CHUNK) {
            List<? extends Map.Entry<?, long[]>> chunk = all.subList(start, Math.min(all.size(), start + SPAN_CHUNK));
            jdbc.sql("""
                            insert into %1$s (%2$s, first_day, last_day)
                            select * from unnest(:keys, :firsts, :lasts)
                            on conflict (%2$s) do update
                               set first_day = least(%1$s.first_day, excluded.first_day),
                                   last_day = greatest(%1$s.last_day, excluded.last_day)
                             where excluded.first_day < %1$s.first_day or excluded.last_day > %1$s.last_day""".formatted(table, key))
                    .param(
                            "keys",
                            new SqlArrayValue(
                                    keyType,
                                    chunk.stream().map(Map.Entry::getKey).toArray()))
                    .param(
                            "firsts",
                            days(chunk.stream().map(e -> e.getValue()[0]).toList()))
                    .param(
                            "lasts",
                            days(chunk.stream().map(e -> e.getValue()[1]).toList()))
                    .update();
        }
    }

    private static SqlArrayValue days(List<Long> epochDays) {
        return new SqlArrayValue(
                "date",
                epochDays.stream()
                        .map(d -> java.sql.Date.valueOf(LocalDate.ofEpochDay(d)))
                        .toArray());
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
                    MonthBlocks.read(rs.getBytes(3), new MonthBlocks.Visitor() {
                        @Override
                        public boolean metric(String key) {
                            return wanted.contains(key);
                        }

                        @Override
                        public void value(String key, int dayOfMonth, double value) {
                            double[] values = account.computeIfAbsent(key, k -> {
                                double[] none = new double[length];
                                Arrays.fill(none, Double.NaN);
                                return none;
                            });
                            int index = (int) (monthStart + dayOfMonth - from.toEpochDay());
                            if (index >= 0 && index < length) {
                                values[index] = value;
                            }
                        }
                    });
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
