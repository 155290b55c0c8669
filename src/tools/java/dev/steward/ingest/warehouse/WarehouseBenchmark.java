package dev.steward.ingest.warehouse;

import dev.steward.core.BenchRuns;
import dev.steward.core.CommandOptions;
import dev.steward.core.SubCommand;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AccountManagement;
import dev.steward.ingest.Sources;
import dev.steward.ingest.sync.SyncRuns;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code bench warehouse}: the rate of a warehouse pull of daily usage rows (account key, day, metric, value, loaded
 * at) from a DuckDB file through the path a scheduled pull takes (the query streamed, its rows mapped, accounts
 * resolved, checked, the COPY import, the sync run recorded), next to the baseline measured in the same run:
 * PostgreSQL {@code COPY} of the same rows, exported from DuckDB as CSV, into a plain table.
 */
@Component
class WarehouseBenchmark implements SubCommand {

    private static final String ACCOUNTS_SOURCE = "crm";
    private static final String SOURCE = "bench-dwh";
    private static final String FEED = "daily-usage";
    private static final List<String> METRICS = List.of(
            "logins",
            "active_users",
            "events",
            "feature.dashboards",
            "feature.reports",
            "feature.integrations",
            "feature.automations",
            "feature.api");
    private static final String MAPPING = """
            {"fields": {"accountExternalId": "account_key", "day": "usage_day", "metric": "metric",
                        "value": "amount"}}""";
    private static final BenchRuns.Figure ROWS = new BenchRuns.Figure("rows_per_s", "rows/s", 0, 3);
    private static final int PROGRESS_SECONDS = 20;

    private final WarehouseSources warehouses;
    private final AccountManagement accounts;
    private final Sources sources;
    private final DataSource dataSource;
    private final ObjectMapper json;
    private final Clock clock;

    WarehouseBenchmark(
            WarehouseSources warehouses,
            AccountManagement accounts,
            Sources sources,
            DataSource dataSource,
            ObjectMapper json,
            Clock clock) {
        this.warehouses = warehouses;
        this.accounts = accounts;
        this.sources = sources;
        this.dataSource = dataSource;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "bench warehouse";
    }

    @Override
    public String usage() {
        return "[--small] [--accounts 10000] [--days 125] [--runs 3] --steward.database.data-dir=/tmp/bench-wh  time"
                + " a warehouse pull of daily usage (8 metrics per account and day) from a DuckDB file; needs an empty"
                + " database; one run appends accounts × days × 8 rows for days no other run covers to the warehouse"
                + " table and pulls them (new rows, not updates; the feed's watermark leaves earlier rows out), then"
                + " COPYs the same rows, exported as CSV, into a plain table; after a warm-up pull of a fifth the days";
    }

    @Override
    public int run(List<String> arguments) throws Exception {
        CommandOptions options = new CommandOptions(arguments);
        boolean small = options.has("small");
        int accountCount = options.getInt("accounts", small ? 1_000 : 10_000);
        int days = options.getInt("days", small ? 25 : 125);
        if (refusesNonEmpty(accounts.count())) {
            return 1;
        }
        BenchRuns runs = BenchRuns.start("warehouse", options);
        long started = System.nanoTime();
        for (int from = 0; from < accountCount; from += 1_000) {
            accounts.upsert(
                    ACCOUNTS_SOURCE,
                    IntStream.range(from, Math.min(accountCount, from + 1_000))
                            .mapToObj(WarehouseBenchmark::account)
                            .toList(),
                    true);
        }
        System.out.printf(
                "Created %,d accounts in source '%s': %.1f s%n",
                accountCount, ACCOUNTS_SOURCE, (System.nanoTime() - started) / 1e9);

        Path directory = Files.createTempDirectory("steward-bench-warehouse");
        try {
            DuckFile warehouse = new DuckFile(directory.resolve("warehouse.duckdb"), accountCount);
            warehouse.create();
            WarehouseSources.WarehouseView source = warehouses.create(
                    SOURCE, new WarehouseSources.ConnectionInput(warehouse.url(), null, null, 10_080, true));
            warehouses.saveFeed(
                    SOURCE,
                    new WarehouseSources.FeedInput(
                            FEED,
                            "select account_key, usage_day, metric, amount, loaded_at from daily_usage",
                            "usage",
                            json.readTree(MAPPING),
                            ACCOUNTS_SOURCE,
                            "loaded_at"));
            UUID sourceId = sources.get(source.name()).id();

            // Days run forward, each pull's after the last one's, so that the watermark leaves earlier rows out.
            int warmDays = Math.max(1, days / 5);
            LocalDate first = LocalDate.now(clock).minusDays((long) days * runs.count() + warmDays);
            if (pullOnce("Warm-up", warehouse, sourceId, first, warmDays, directory) == null) {
                return 1;
            }
            for (int r = 0; r < runs.count(); r++) {
                LocalDate from = first.plusDays(warmDays + (long) days * r);
                double[] rates = pullOnce("Run " + (r + 1), warehouse, sourceId, from, days, directory);
                if (rates == null) {
                    return 1;
                }
                runs.record(r, ROWS, rates[0], rates[1]);
            }
        } finally {
            deleteTree(directory);
        }
        runs.summary();
        runs.benchLines();
        return 0;
    }

    /**
     * Appends the given days to the warehouse table, pulls them and COPYs the same rows into a plain table; returns the
     * pull's and COPY's rows per second, or null (having said why) when the pull did not take every row.
     */
    private double[] pullOnce(String label, DuckFile warehouse, UUID sourceId, LocalDate from, int days, Path directory)
            throws Exception {
        long started = System.nanoTime();
        long rows = warehouse.append(from, days);
        Path csv = directory.resolve("rows.csv");
        warehouse.export(from, days, csv);
        System.out.printf(
                "%s: wrote %,d usage rows (%,d accounts × %,d days from %s × %d metrics) to DuckDB and exported them"
                        + " as CSV: %.1f s; pulling…%n",
                label, rows, warehouse.accounts, days, from, METRICS.size(), (System.nanoTime() - started) / 1e9);

        SyncRuns.Run run;
        double seconds;
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "bench-progress");
            thread.setDaemon(true);
            return thread;
        });
        try {
            long pullStarted = System.nanoTime();
            progress.scheduleAtFixedRate(
                    () -> System.out.printf("  … pulling for %.0f s%n", (System.nanoTime() - pullStarted) / 1e9),
                    PROGRESS_SECONDS,
                    PROGRESS_SECONDS,
                    TimeUnit.SECONDS);
            warehouses.pull(sourceId, SyncRuns.Trigger.manual);
            seconds = (System.nanoTime() - pullStarted) / 1e9;
            run = warehouses.runs(SOURCE, 1).get(0);
        } finally {
            progress.shutdownNow();
        }
        SyncRuns.Counts counts = run.counts();
        // A pull reads again the rows at its watermark (the last row of the pull before, which changes nothing).
        long again = run.watermarkFrom() == null ? 0 : 1;
        if (run.state() != SyncRuns.State.succeeded
                || counts.rowsRead() != rows + again
                || counts.unchanged() != again
                || counts.rejected() != 0
                || counts.created() + counts.updated() != rows) {
            System.err.printf(
                    "The pull did not take every row as new: %s, %s of %,d rows%s%n",
                    run.state(), counts, rows, run.failure() == null ? "" : "; " + run.failure());
            run.errors().stream().limit(10).forEach(e -> System.err.println("  " + e));
            return null;
        }
        double rate = rows / seconds;
        double baseline = copyRate(csv, rows);
        System.out.printf(
                "%s: pull of %,d usage rows (query streamed, mapped, accounts resolved, checked, COPY import, sync run"
                        + " recorded): %.1f s = %,.0f rows/s; PostgreSQL COPY of the same rows (%,.1f MB of CSV) into a"
                        + " plain table: %,.0f rows/s%n",
                label, rows, seconds, rate, Files.size(csv) / 1e6, baseline);
        Files.delete(csv);
        return new double[] {rate, baseline};
    }

    /** The same rows sent with COPY (CSV format) into a table of the warehouse's column types, without keys. */
    private double copyRate(Path csv, long rows) throws SQLException, IOException {
        try (java.sql.Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("create table bench_warehouse_copy (account_key text, usage_day date, metric text,"
                    + " amount double precision, loaded_at timestamp)");
            try (InputStream in = Files.newInputStream(csv)) {
                long started = System.nanoTime();
                long copied = connection
                        .unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyIn("copy bench_warehouse_copy from stdin (format csv, header true)", in, 1 << 16);
                double seconds = (System.nanoTime() - started) / 1e9;
                if (copied != rows) {
                    throw new IllegalStateException("COPY took " + copied + " of " + rows + " rows");
                }
                return rows / seconds;
            } finally {
                statement.execute("drop table bench_warehouse_copy");
            }
        }
    }

    private static AccountInput account(int i) {
        return new AccountInput(
                "ACC-" + i, "Bench account " + i, null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * The DuckDB file the pulls read: one table of daily usage, appended to run by run, as a warehouse's table
     * loaded each night is. Steward opens it read-only; the benchmark writes only while no pull runs.
     */
    private static final class DuckFile {
        final Path file;
        final int accounts;

        DuckFile(Path file, int accounts) {
            this.file = file;
            this.accounts = accounts;
        }

        String url() {
            return "jdbc:duckdb:" + file;
        }

        void create() throws SQLException {
            execute("create table daily_usage (account_key varchar, usage_day date, metric varchar, amount double,"
                    + " loaded_at timestamp)");
        }

        /**
         * One row per account, day and metric, ordered by account as an export by account would be, each day's rows
         * loaded from 01:00 the day after, a millisecond apart (as a per-row sync time is); returns how many.
         */
        long append(LocalDate from, int days) throws SQLException {
            String metrics = IntStream.range(0, METRICS.size())
                    .mapToObj(m -> "(" + m + ", '" + METRICS.get(m) + "')")
                    .collect(Collectors.joining(", "));
            execute("insert into daily_usage select 'ACC-' || a.range, date '" + from + "' + d.range::integer,"
                    + " m.metric, ((a.range * 7 + d.range * 13 + m.i) % 500)::double,"
                    + " (date '" + from + "' + d.range::integer + 1)::timestamp + interval 1 hour"
                    + " + to_milliseconds(a.range * 8 + m.i)"
                    + " from range(" + accounts + ") a, range(" + days + ") d, (values " + metrics + ") m(i, metric)"
                    + " order by a.range, d.range, m.i");
            return (long) accounts * days * METRICS.size();
        }

        /** The rows of these days as CSV with a header, as DuckDB writes them. */
        void export(LocalDate from, int days, Path csv) throws SQLException {
            execute("copy (select account_key, usage_day, metric, amount, loaded_at from daily_usage"
                    + " where usage_day between date '" + from + "' and date '" + from.plusDays(days - 1) + "')"
                    + " to '" + csv + "' (format csv, header true)");
        }

        private void execute(String sql) throws SQLException {
            try (java.sql.Connection connection = DriverManager.getConnection(url());
                    Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }
    }

    private static void deleteTree(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
