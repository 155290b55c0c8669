package dev.steward.core;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives each test application context a fresh, empty database. By default on one embedded PostgreSQL 17 started
 * once per test JVM; with {@code STEWARD_TEST_DATABASE_URL} (e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres},
 * user from {@code STEWARD_TEST_DATABASE_USERNAME}, default postgres) on that server instead, which is how CI checks
 * the migrations and the API against PostgreSQL 15.
 */
public final class TestDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final Pattern OURS = Pattern.compile("steward_test_(\\d+)_\\d+");
    private static EmbeddedPostgres embedded;
    private static boolean swept;

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        String url = createDatabase(true);
        context.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "testDatabase",
                        java.util.Map.of(
                                "steward.database.url",
                                url,
                                "steward.database.username",
                                username(),
                                "steward.database.password",
                                password(),
                                "steward.database.pool-size",
                                "6")));
    }

    /** Creates an empty database (no migrations applied) and returns its JDBC URL. */
    public static String createDatabase() {
        return createDatabase(false);
    }

    /** Creates a database with every migration applied (a copy of the migrated template) and returns its JDBC URL. */
    public static String createMigratedDatabase() {
        return createDatabase(true);
    }

    /**
     * Creates a database, with every migration applied or empty, and returns its JDBC URL. A migrated one is a copy of
     * a database migrated once per test JVM: running the migrations took each test context seconds.
     */
    private static synchronized String createDatabase(boolean migrated) {
        String name = "steward_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        String server = serverUrl();
        try (Connection connection = DriverManager.getConnection(server, username(), password());
                Statement statement = connection.createStatement()) {
            if (!swept) {
                swept = true;
                dropLeftOver(statement);
            }
            statement.execute("drop database if exists " + name);
            statement.execute("create database " + name + (migrated ? " template " + template(statement, server) : ""));
            // A test database holds nothing worth a flush to disk at each commit (the embedded server is set so as a
            // whole); on an external server only the database can be told.
            statement.execute("alter database " + name + " set synchronous_commit = off");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create test database on " + server, e);
        }
        return server.substring(0, server.lastIndexOf('/') + 1) + name;
    }

    /** The name of this JVM's migrated database that test databases are copied from, made on first use. */
    private static String template(Statement statement, String server) throws SQLException {
        if (template == null) {
            String name = "steward_test_" + ProcessHandle.current().pid() + "_0";
            statement.execute("drop database if exists " + name);
            statement.execute("create database " + name);
            String url = server.substring(0, server.lastIndexOf('/') + 1) + name;
            Flyway.configure()
                    .dataSource(url, username(), password())
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            // A database is copied only while nobody is connected to it.
            statement.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + name
                    + "' and pid <> pg_backend_pid()");
            template = name;
        }
        return template;
    }

    private static String template;

    /**
     * Drops the test databases that earlier test runs left on the server, those of processes that have ended: an
     * external server (CI's PostgreSQL 15) keeps them otherwise, run after run.
     */
    private static void dropLeftOver(Statement statement) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rows =
                statement.executeQuery("select datname from pg_database where datname like 'steward_test_%'")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        for (String name : names) {
            Matcher matcher = OURS.matcher(name);
            if (matcher.matches()
                    && ProcessHandle.of(Long.parseLong(matcher.group(1))).isEmpty()) {
                statement.execute("drop database if exists " + name + " with (force)");
            }
        }
    }

    /** Whether the tests run against an external PostgreSQL rather than the embedded one. */
    public static boolean external() {
        String url = System.getenv("STEWARD_TEST_DATABASE_URL");
        return url != null && !url.isBlank();
    }

    private static String serverUrl() {
        if (external()) {
            return System.getenv("STEWARD_TEST_DATABASE_URL");
        }
        if (embedded == null) {
            try {
                embedded = EmbeddedPostgres.builder()
                        // Our own hook below stops the server, after the test contexts that use it have closed.
                        .setRegisterShutdownHook(false)
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .setServerConfig("max_connections", "300")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    // Hooks start in no set order: give Spring's a moment to start, then wait for it to finish.
                    Thread.sleep(300);
                    for (Thread thread : Thread.getAllStackTraces().keySet()) {
                        if (thread.getName().equals("SpringApplicationShutdownHook")) {
                            thread.join(20_000);
                        }
                    }
                    embedded.close();
                } catch (IOException | InterruptedException ignored) {
                    // the JVM is exiting; the temporary directory goes with it
                }
            }));
        }
        return embedded.getJdbcUrl("postgres", "postgres");
    }

    /** The user that {@link #createDatabase()} connects as, and that owns the databases it creates. */
    public static String username() {
        String user = System.getenv("STEWARD_TEST_DATABASE_USERNAME");
        return user == null || user.isBlank() ? "postgres" : user;
    }

    /** That user's password. */
    public static String password() {
        String password = System.getenv("STEWARD_TEST_DATABASE_PASSWORD");
        return password == null ? "" : password;
    }
}
