package dev.steward.ingest.warehouse;

import dev.steward.core.InvalidInputException;
import dev.steward.ingest.csv.TableImports;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A warehouse reached by JDBC: PostgreSQL and DuckDB drivers ship with Steward; any other (Snowflake, BigQuery,
 * Redshift, Trino…) is found when its jar is on the class path. Every query runs read-only (a read-only transaction
 * where the driver has one, a DuckDB file opened read-only) with a statement timeout, and its rows stream: the driver
 * is asked to fetch them in batches, so that memory stays bounded however many rows come.
 */
final class Warehouse {

    /** Rows fetched per round trip. */
    static final int FETCH = 10_000;

    /** The quoting a column name gets in the SQL Steward wraps around the feed's query. */
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_ .-]{0,127}");

    /** How Steward reaches the warehouse: the JDBC URL and the user; the password is kept apart, encrypted. */
    record Settings(String jdbcUrl, @Nullable String user) {}

    /** What a test of the connection found. */
    record Probe(String product, String version) {}

    /** A column of a query's result: its name and its SQL type as the driver names it. */
    record Column(String name, String type) {}

    private Warehouse() {}

    /** Opens a connection, read-only; refusals name the field at fault (jdbcUrl, user, password) with the driver's words. */
    static Connection connect(Settings settings, @Nullable String password, Duration timeout) {
        String url = settings.jdbcUrl();
        Driver driver;
        try {
            driver = DriverManager.getDriver(url);
        } catch (SQLException e) {
            throw new InvalidInputException(
                    "jdbcUrl",
                    "no JDBC driver takes '" + prefix(url) + "'; Steward ships PostgreSQL (jdbc:postgresql://host/db)"
                            + " and DuckDB (jdbc:duckdb:/path/file.duckdb, or jdbc:duckdb: to read Parquet files);"
                            + " for another warehouse put its driver's jar on the class path (see docs/warehouse.md)");
        }
        Properties properties = new Properties();
        if (settings.user() != null && !settings.user().isBlank()) {
            properties.setProperty("user", settings.user());
        }
        if (password != null && !password.isEmpty()) {
            properties.setProperty("password", password);
        }
        boolean duckdb = url.startsWith("jdbc:duckdb:");
        if (duckdb) {
            if (!url.equals("jdbc:duckdb:") && !url.startsWith("jdbc:duckdb::memory:")) {
                properties.setProperty("duckdb.read_only", "true");
            }
            properties.setProperty("jdbc_stream_results", "true");
        } else {
            properties.setProperty("loginTimeout", String.valueOf(Math.max(1, timeout.toSeconds())));
            properties.setProperty("connectTimeout", String.valueOf(Math.max(1, timeout.toSeconds())));
        }
        try {
            Connection connection = driver.connect(url, properties);
            if (connection == null) {
                throw new InvalidInputException("jdbcUrl", "the driver does not take this URL");
            }
            if (!duckdb) {
                try {
                    connection.setReadOnly(true);
                    connection.setAutoCommit(false);
                } catch (SQLException e) {
                    // A driver without transactions: the query is still wrapped in a SELECT.
                }
            }
            return connection;
        } catch (SQLException e) {
            throw refusal(e, "cannot connect: ");
        }
    }

    /** Connects and asks the server what it is; a refusal says why, in the driver's words. */
    static Probe test(Settings settings, @Nullable String password, Duration timeout) {
        try (Connection connection = connect(settings, password, timeout)) {
            DatabaseMetaData meta = connection.getMetaData();
            return new Probe(meta.getDatabaseProductName(), meta.getDatabaseProductVersion());
        } catch (SQLException e) {
            throw refusal(e, "cannot connect: ");
        }
    }

    /**
     * The feed's query as run: wrapped in a SELECT (so that only a query can run), limited for a sample, and for an
     * incremental pull restricted to rows whose watermark column is at or past the last value seen (rows at that value
     * are read again: their upserts change nothing, and rows that arrived late with that value are not missed).
     */
    static String wrapped(String query, @Nullable String watermarkColumn, boolean sinceWatermark, int limit) {
        String inner = query.strip();
        while (inner.endsWith(";")) {
            inner = inner.substring(0, inner.length() - 1).strip();
        }
        StringBuilder sql = new StringBuilder("select * from (\n").append(inner).append("\n) as steward_feed");
        if (sinceWatermark && watermarkColumn != null) {
            sql.append(" where ").append(quoted(watermarkColumn)).append(" >= ?");
        }
        if (limit > 0) {
            sql.append(" limit ").append(limit);
        }
        return sql.toString();
    }

    static String quoted(String column) {
        if (!PLAIN_NAME.matcher(column).matches()) {
            throw new InvalidInputException(
                    "watermarkColumn", "must be a column name of letters, digits, '_', '.', '-' or spaces");
        }
        return '"' + column + '"';
    }

    /**
     * Runs a query and streams its rows as text cells: numbers in plain notation, days as 2026-12-06, times with an
     * offset as instants (2026-12-06T10:15:00Z), times without one as given (2026-12-06T10:15:00). The largest value of
     * the watermark column is kept for the next pull.
     */
    static QueryRows run(
            Connection connection,
            String query,
            @Nullable String watermarkColumn,
            @Nullable Watermark since,
            int limit,
            Duration timeout) {
        String sql = wrapped(query, watermarkColumn, since != null, limit);
        try {
            PreparedStatement statement =
                    connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            try {
                statement.setFetchSize(FETCH);
                try {
                    statement.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
                } catch (SQLException e) {
                    // The driver has no timeout of its own (DuckDB): the run is bounded by its job instead.
                }
                if (since != null) {
                    since.bind(statement, 1);
                }
                ResultSet rows = statement.executeQuery();
                return new QueryRows(statement, rows, watermarkColumn);
            } catch (SQLException | RuntimeException e) {
                statement.close();
                throw e;
            }
        } catch (SQLException e) {
            throw refusal(e, "the query fails: ");
        }
    }

    /** The largest watermark value seen, with its type, so that the next pull binds it as the same type. */
    record Watermark(String type, String value) {

        void bind(PreparedStatement statement, int index) throws SQLException {
            switch (type) {
                case "instant" -> statement.setTimestamp(index, Timestamp.from(Instant.parse(value)));
                case "datetime" -> statement.setTimestamp(index, Timestamp.valueOf(LocalDateTime.parse(value)));
                case "date" -> statement.setObject(index, LocalDate.parse(value));
                case "number" -> statement.setBigDecimal(index, new BigDecimal(value));
                default -> statement.setString(index, value);
            }
        }

        /** Which of two values of the same column is larger. */
        static int compare(Object a, Object b) {
            if (a instanceof Number x && b instanceof Number y) {
                return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString()));
            }
            @SuppressWarnings({"unchecked", "rawtypes"})
            int order = ((Comparable) a).compareTo(b);
            return order;
        }

        static @Nullable Watermark of(@Nullable Object value, boolean withOffset) {
            if (value == null) {
                return null;
            }
            if (value instanceof Timestamp t) {
                return withOffset
                        ? new Watermark("instant", t.toInstant().toString())
                        : new Watermark("datetime", t.toLocalDateTime().toString());
            }
            if (value instanceof OffsetDateTime t) {
                return new Watermark("instant", t.toInstant().toString());
            }
            if (value instanceof LocalDateTime t) {
                return new Watermark("datetime", t.toString());
            }
            if (value instanceof java.sql.Date d) {
                return new Watermark("date", d.toLocalDate().toString());
            }
            if (value instanceof LocalDate d) {
                return new Watermark("date", d.toString());
            }
            if (value instanceof Number n) {
                return new Watermark("number", new BigDecimal(n.toString()).toPlainString());
            }
            return new Watermark("text", value.toString());
        }

        @Override
        public String toString() {
            return type + ":" + value;
        }

        static @Nullable Watermark parse(@Nullable String stored) {
            if (stored == null) {
                return null;
            }
            int colon = stored.indexOf(':');
            return new Watermark(stored.substring(0, colon), stored.substring(colon + 1));
        }
    }

    /** The rows of a running query, as the table import reads them. */
    static final class QueryRows implements TableImports.Rows {

        private final PreparedStatement statement;
        private final ResultSet rows;
        private final List<String> header;
        private final List<Column> columns;
        private final int watermarkIndex;
        private final boolean[] withOffset;
        private final boolean[] localTimestamp;
        private @Nullable Object largest;
        private long read;

        QueryRows(PreparedStatement statement, ResultSet rows, @Nullable String watermarkColumn) throws SQLException {
            this.statement = statement;
            this.rows = rows;
            ResultSetMetaData meta = rows.getMetaData();
            List<String> names = new ArrayList<>();
            List<Column> described = new ArrayList<>();
            withOffset = new boolean[meta.getColumnCount()];
            localTimestamp = new boolean[meta.getColumnCount()];
            int watermark = -1;
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                String name = meta.getColumnLabel(i);
                names.add(name);
                String type = meta.getColumnTypeName(i);
                described.add(new Column(name, type == null ? "?" : type.toLowerCase(Locale.ROOT)));
                String lower = type == null ? "" : type.toLowerCase(Locale.ROOT);
                withOffset[i - 1] = meta.getColumnType(i) == Types.TIMESTAMP_WITH_TIMEZONE
                        || lower.equals("timestamptz")
                        || lower.contains("with time zone");
                localTimestamp[i - 1] = meta.getColumnType(i) == Types.TIMESTAMP && !withOffset[i - 1];
                if (name.equals(watermarkColumn)) {
                    watermark = i - 1;
                }
            }
            if (watermarkColumn != null && watermark < 0) {
                close();
                throw new InvalidInputException(
                        "watermarkColumn",
                        "the query has no column '" + watermarkColumn + "'; its columns are "
                                + String.join(", ", names));
            }
            this.header = List.copyOf(names);
            this.columns = List.copyOf(described);
            this.watermarkIndex = watermark;
        }

        @Override
        public List<String> header() {
            return header;
        }

        List<Column> columns() {
            return columns;
        }

        long read() {
            return read;
        }

        @Nullable
        Watermark largest() {
            return watermarkIndex < 0 ? null : Watermark.of(largest, withOffset[watermarkIndex]);
        }

        @Override
        public String @Nullable [] next() throws SQLException {
            if (!rows.next()) {
                return null;
            }
            read++;
            String[] cells = new String[header.size()];
            for (int i = 0; i < cells.length; i++) {
                // A timestamp without zone read as one (JDBC 4.2): a java.sql.Timestamp costs a time-zone conversion
                // per value, which a pull of millions of rows feels.
                Object value = localTimestamp[i] ? localDateTime(i + 1) : rows.getObject(i + 1);
                if (i == watermarkIndex
                        && value != null
                        && (largest == null || Watermark.compare(value, largest) > 0)) {
                    largest = value;
                }
                cells[i] = text(value, withOffset[i]);
            }
            return cells;
        }

        /** The timestamp as a LocalDateTime, or as the driver gives it when it cannot give one. */
        private @Nullable Object localDateTime(int column) throws SQLException {
            try {
                return rows.getObject(column, LocalDateTime.class);
            } catch (SQLException cannot) {
                localTimestamp[column - 1] = false;
                return rows.getObject(column);
            }
        }

        @Override
        public void close() throws SQLException {
            try {
                rows.close();
            } finally {
                statement.close();
            }
        }
    }

    static @Nullable String text(@Nullable Object value, boolean withOffset) {
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return Double.toString(d);
            }
            return d == Math.rint(d) && Math.abs(d) < 1e15
                    ? Long.toString((long) d)
                    : BigDecimal.valueOf(d).toPlainString();
        }
        if (value instanceof Number n) {
            return n.toString();
        }
        if (value instanceof java.sql.Date d) {
            return d.toLocalDate().toString();
        }
        if (value instanceof Timestamp t) {
            return withOffset ? t.toInstant().toString() : t.toLocalDateTime().toString();
        }
        if (value instanceof OffsetDateTime t) {
            return t.toInstant().toString();
        }
        if (value instanceof java.time.ZonedDateTime t) {
            return t.toInstant().toString();
        }
        if (value instanceof LocalDateTime t) {
            return withOffset ? t.toInstant(ZoneOffset.UTC).toString() : t.toString();
        }
        return value.toString();
    }

    private static String prefix(String url) {
        int second = url.indexOf(':', "jdbc:".length());
        return second < 0 ? url : url.substring(0, second + 1);
    }

    private static InvalidInputException refusal(SQLException e, String prefix) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage().strip();
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String field = state.startsWith("28") ? "password" : state.startsWith("08") ? "jdbcUrl" : "query";
        if (prefix.startsWith("cannot connect") && field.equals("query")) {
            field = "jdbcUrl";
        }
        if (message.length() > 500) {
            message = message.substring(0, 500) + "…";
        }
        return new InvalidInputException(field, prefix + message);
    }
}
