package dev.steward.ingest.csv;

import dev.steward.core.BenchRuns;
import dev.steward.core.CommandOptions;
import dev.steward.core.SubCommand;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AccountManagement;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.stereotype.Component;

/**
 * {@code bench csv}: the rate of a usage-row CSV import (account_id, metric, day, value) through the path a user's
 * file takes (reading, conversion, account look-up, checks and the COPY import), next to the baseline measured in
 * the same run: PostgreSQL {@code COPY} of the same file into a plain table.
 */
@Component
class CsvBenchmark implements SubCommand {

    private static final String SOURCE = "bench-csv";
    private static final List<String> METRICS = List.of(
            "logins",
            "active_users",
            "events",
            "feature.dashboards",
            "feature.reports",
            "feature.integrations",
            "feature.automations",
            "feature.api");
    private static final double TARGET_ROWS_PER_SECOND = 50_000;

    private final CsvImports imports;
    private final AccountManagement accounts;
    private final DataSource dataSource;
    private final Clock clock;

    CsvBenchmark(CsvImports imports, AccountManagement accounts, DataSource dataSource, Clock clock) {
        this.imports = imports;
        this.accounts = accounts;
        this.dataSource = dataSource;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "bench csv";
    }

    @Override
    public String usage() {
        return "[--small] [--accounts 2000] [--days 125] [--runs 3] --steward.database.data-dir=/tmp/bench-csv  time"
                + " the import of a usage CSV (8 metrics per account and day); needs an empty database; one run"
                + " imports a new file of accounts × days × 8 rows for days no other run covers (new rows, not"
                + " updates) and COPYs the same file into a plain table, after a warm-up import of a fifth the days";
    }

    @Override
    public int run(List<String> arguments) throws Exception {
        CommandOptions options = new CommandOptions(arguments);
        boolean small = options.has("small");
        int accountCount = options.getInt("accounts", small ? 250 : 2_000);
        int days = options.getInt("days", small ? 25 : 125);
        if (refusesNonEmpty(accounts.count())) {
            return 1;
        }
        List<AccountInput> inputs = IntStream.range(0, accountCount)
                .mapToObj(i -> new AccountInput(
                        "ACC-" + i,
                        "Bench account " + i,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null))
                .toList();
        for (int from = 0; from < inputs.size(); from += 1_000) {
            accounts.upsert(SOURCE, inputs.subList(from, Math.min(inputs.size(), from + 1_000)), true);
        }

        BenchRuns runs = BenchRuns.start("csv", options);
        LocalDate today = LocalDate.now(clock);
        int warmDays = Math.max(1, days / 5);
        // Each import covers days no other covers, so that every run inserts the same number of new rows.
        if (importOnce("Warm-up", today.minusDays((long) days * runs.count() + warmDays), accountCount, warmDays)
                == null) {
            return 1;
        }
        for (int r = 0; r < runs.count(); r++) {
            double[] rates = importOnce("Run " + (r + 1), today.minusDays((long) days * (r + 1)), accountCount, days);
            if (rates == null) {
                return 1;
            }
            runs.record(r, ROWS, rates[0], rates[1]);
        }
        runs.summary();
        double rate = runs.series(ROWS.name()).values().median();
        // The target is for a full-size file; a small one is mostly the JIT warming up.
        if (!small && rate < TARGET_ROWS_PER_SECOND) {
            System.out.printf("WARN median %,.0f rows/s is below the target of %,.0f%n", rate, TARGET_ROWS_PER_SECOND);
        }
        runs.benchLines();
        return 0;
    }

    private static final BenchRuns.Figure ROWS = new BenchRuns.Figure("rows_per_s", "rows/s", 0, 3);

    /**
     * Writes a file of the given days, imports it and COPYs it into a plain table; returns the import's and COPY's
     * rows per second, or null (having said why) when the import did not take every row.
     */
    private double[] importOnce(String label, LocalDate first, int accountCount, int days) throws Exception {
        Path file = Files.createTempFile("steward-bench-usage", ".csv");
        try {
            long rows = write(file, first, accountCount, days);
            double reading = readingRate(file);
            long started = System.nanoTime();
            CsvImporter.Outcome outcome = imports.importFile(SOURCE, CsvEntity.usage, CsvInput.of(file), null, false);
            double seconds = (System.nanoTime() - started) / 1e9;
            ImportReport report = outcome.report();
            if (report.accepted() != rows || report.rejected() > 0 || !report.written()) {
                System.err.println("The import did not take every row: " + report.summary());
                report.errors().stream().limit(10).forEach(e -> System.err.println("  " + e));
                return null;
            }
            double rate = rows / seconds;
            double baseline = copyRate(file, rows);
            System.out.printf(
                    "%s: CSV import of %,d usage rows (%,d accounts × %,d days from %s × %d metrics, %,.1f MB; read,"
                            + " converted, accounts resolved, checked, COPY import): %.1f s = %,.0f rows/s; PostgreSQL"
                            + " COPY of the same file into a plain table: %,.0f rows/s; reading and converting the"
                            + " file alone, without writing: %,.0f rows/s%n",
                    label,
                    rows,
                    accountCount,
                    days,
                    first,
                    METRICS.size(),
                    Files.size(file) / 1e6,
                    seconds,
                    rate,
                    baseline,
                    reading);
            return new double[] {rate, baseline};
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** One row per account, day and metric, ordered as an export by account would be. */
    private static long write(Path file, LocalDate first, int accountCount, int days) throws IOException {
        String[] day = IntStream.range(0, days)
                .mapToObj(d -> first.plusDays(d).toString())
                .toArray(String[]::new);
        long rows = 0;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("account_id,metric,day,value\n");
            for (int a = 0; a < accountCount; a++) {
                String account = "ACC-" + a;
                for (int d = 0; d < days; d++) {
                    for (int m = 0; m < METRICS.size(); m++) {
                        out.write(account);
                        out.write(',');
                        out.write(METRICS.get(m));
                        out.write(',');
                        out.write(day[d]);
                        out.write(',');
                        out.write(Integer.toString((a * 7 + d * 13 + m) % 500));
                        out.write('\n');
                        rows++;
                    }
                }
            }
        }
        return rows;
    }

    /** Reading the file and converting its rows, without looking anything up or writing: the CPU side's share. */
    private static double readingRate(Path file) throws IOException {
        long started = System.nanoTime();
        long rows = 0;
        try (CsvReader reader = CsvReader.open(CsvInput.of(file))) {
            RowConverter converter = new RowConverter(
                    CsvEntity.usage, MappingSuggestions.suggest(CsvEntity.usage, reader.header()), reader.header());
            for (CsvReader.Row row = reader.next(); row != null; row = reader.next()) {
                if (converter.convert(row).good()) {
                    rows++;
                }
            }
        }
        return rows / ((System.nanoTime() - started) / 1e9);
    }

    /** The same file sent with COPY (CSV format) into a table without keys or indexes. */
    private double copyRate(Path file, long rows) throws SQLException, IOException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("create table bench_usage_copy (account_id text, metric text, day date, value numeric)");
            try (InputStream in = Files.newInputStream(file)) {
                long started = System.nanoTime();
                long copied = connection
                        .unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyIn("copy bench_usage_copy from stdin (format csv, header true)", in, 1 << 16);
                double seconds = (System.nanoTime() - started) / 1e9;
                if (copied != rows) {
                    throw new IllegalStateException("COPY took " + copied + " of " + rows + " rows");
                }
                return rows / seconds;
            } finally {
                statement.execute("drop table bench_usage_copy");
            }
        }
    }
}
