package dev.steward.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The embedded PostgreSQL as a person running {@code java -jar steward.jar} meets it: it starts again after Steward
 * was killed (kill -9 leaves the server running as an orphan), and nobody else on the machine can connect to it.
 */
@ExtendWith(OutputCaptureExtension.class)
class EmbeddedDatabaseTests {

    @TempDir
    Path dataDir;

    @Test
    void aServerLeftRunningByAKilledStewardIsStoppedAndStewardStartsWithItsData(CapturedOutput output)
            throws Exception {
        Process killed = startInAnotherJvm(dataDir);
        long orphan;
        try {
            String password = Files.readString(dataDir.resolve(EmbeddedDatabase.PASSWORD_FILE))
                    .trim();
            int port = Integer.parseInt(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid"))
                    .get(3)
                    .trim());
            try (Connection connection = connect(port, password);
                    Statement statement = connection.createStatement()) {
                statement.execute("create table kept (what text)");
                statement.execute("insert into kept values ('acknowledged before the kill')");
            }
            orphan = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid"))
                    .get(0)
                    .trim());
        } finally {
            killed.destroyForcibly(); // SIGKILL: no shutdown hook, the server lives on
            killed.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive))
                .as("the embedded server outlives the killed JVM")
                .contains(true);

        try (EmbeddedDatabase again = EmbeddedDatabase.start(properties(dataDir))) {
            assertThat(ProcessHandle.of(orphan).filter(ProcessHandle::isAlive))
                    .as("the orphan")
                    .isEmpty();
            try (Connection connection = connect(again.port(), again.password());
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("select what from kept")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("acknowledged before the kill");
            }
        } finally {
            ProcessHandle.of(orphan).ifPresent(ProcessHandle::destroyForcibly);
        }
        assertThat(output.getAll())
                .containsOnlyOnce("Stopped the embedded PostgreSQL (process " + orphan + ") that an earlier Steward"
                        + " left running in " + dataDir.resolve("postgres"));
    }

    @Test
    void aDirectoryInUseByARunningStewardIsRefusedWithAHint() throws Exception {
        try (EmbeddedDatabase running = EmbeddedDatabase.start(properties(dataDir))) {
            assertThatThrownBy(() -> EmbeddedDatabase.start(properties(dataDir)))
                    .hasMessageContaining("is in use by another running Steward")
                    .hasMessageContaining("STEWARD_DATABASE_DATA_DIR");
            try (Connection connection = connect(running.port(), running.password())) {
                assertThat(connection.isValid(1))
                        .as("the running server is left alone")
                        .isTrue();
            }
        }
    }

    @Test
    void onlyTheHolderOfTheGeneratedPasswordConnectsAndOnlyFromThisMachine() throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(properties(dataDir))) {
            Path passwordFile = dataDir.resolve(EmbeddedDatabase.PASSWORD_FILE);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)))
                    .isEqualTo("rw-------");
            assertThat(database.password()).hasSizeGreaterThanOrEqualTo(32);
            assertThatThrownBy(() -> connect(database.port(), ""))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("password");
            assertThatThrownBy(() -> connect(database.port(), "postgres"))
                    .hasMessageContaining("password authentication failed");
            try (Connection connection = connect(database.port(), database.password());
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("show listen_addresses")) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo("localhost");
            }
        }
    }

    @Test
    void aDirectoryFromBeforePasswordsGetsOneAndKeepsItsData() throws Exception {
        Path postgres = dataDir.resolve("postgres");
        Files.createDirectories(postgres);
        try (EmbeddedPostgres old = EmbeddedPostgres.builder()
                        .setDataDirectory(postgres)
                        .setCleanDataDirectory(false)
                        .setRegisterShutdownHook(false)
                        .start();
                Connection connection = old.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("create table kept (what text)");
        }
        try (EmbeddedDatabase database = EmbeddedDatabase.start(properties(dataDir))) {
            assertThatThrownBy(() -> connect(database.port(), "")).isInstanceOf(SQLException.class);
            try (Connection connection = connect(database.port(), database.password());
                    Statement statement = connection.createStatement()) {
                statement.executeQuery("select count(*) from kept").close();
            }
        }
        try (EmbeddedDatabase again = EmbeddedDatabase.start(properties(dataDir));
                Connection connection = connect(again.port(), again.password())) {
            assertThat(connection.isValid(1))
                    .as("the same password works after a restart")
                    .isTrue();
        }
    }

    /** Runs the embedded server in a JVM of its own until the test kills that JVM. */
    public static void main(String[] args) throws Exception {
        EmbeddedDatabase.start(properties(Path.of(args[0])));
        System.out.println("STARTED");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    static Process startInAnotherJvm(Path dataDir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        EmbeddedDatabaseTests.class.getName(),
                        dataDir.toString())
                .redirectErrorStream(true)
                .start();
        BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Boolean> started = CompletableFuture.supplyAsync(() -> lines.lines()
                .peek(line -> System.out.println("[killed JVM] " + line))
                .anyMatch(line -> line.equals("STARTED")));
        if (!started.get(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("The embedded server did not start in the other JVM");
        }
        Thread drain = new Thread(() -> lines.lines().forEach(line -> {}));
        drain.setDaemon(true);
        drain.start();
        return process;
    }

    static Connection connect(int port, String password) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + port + "/postgres", EmbeddedDatabase.USER, password);
    }

    private static DatabaseProperties properties(Path dataDir) {
        return new DatabaseProperties(null, null, null, dataDir, 0, 2, null);
    }
}
