package dev.steward.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.StewardApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * {@code java -jar steward.jar import …} run against a data directory a running Steward holds: one line saying so,
 * by which process, and how to reach that Steward's database; the advice is tried and works.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseInUseTests {

    @TempDir
    Path dataDir;

    @TempDir
    Path files;

    @Test
    void theImportCommandOnADirectoryARunningStewardHoldsSaysSoInOneLine(CapturedOutput output) throws Exception {
        Path csv = Files.writeString(files.resolve("accounts.csv"), "id,name\nA-1,Acme\n");
        Process running = EmbeddedDatabaseTests.startInAnotherJvm(dataDir);
        long postmaster = -1;
        try {
            List<String> pidFile = Files.readAllLines(dataDir.resolve("postgres/postmaster.pid"));
            postmaster = Long.parseLong(pidFile.get(0).trim());
            int port = Integer.parseInt(pidFile.get(3).trim());
            String[] args = {
                "import",
                "--source",
                "crm",
                "--entity",
                "accounts",
                "--file",
                csv.toString(),
                "--steward.database.data-dir=" + dataDir,
                "--spring.main.banner-mode=console"
            };
            int before = output.getAll().length();

            SpringApplication application = new SpringApplication(StewardApplication.class);
            SubCommands.configure(application, args);
            assertThatThrownBy(() -> application.run(args))
                    .isInstanceOf(DatabaseInUse.class)
                    .satisfies(
                            e -> assertThat(((DatabaseInUse) e).getExitCode()).isEqualTo(2));

            String printed = output.getAll().substring(before);
            String url = "jdbc:postgresql://localhost:" + port + "/postgres";
            Path passwordFile = dataDir.toAbsolutePath().resolve("postgres-password");
            assertThat(printed.strip().lines())
                    .as("no banner, no log, no stack trace: " + printed)
                    .containsExactly("The database in " + dataDir.toAbsolutePath() + " is in use by another running"
                            + " Steward (process " + running.pid() + "). Stop it and run 'import' again, or run it"
                            + " against that Steward's database by adding --steward.database.url=" + url
                            + " --steward.database.username=postgres --steward.database.password=\"$(cat "
                            + passwordFile + ")\"");
            try (Connection connection = DriverManager.getConnection(
                    url, "postgres", Files.readString(passwordFile).trim())) {
                assertThat(connection.isValid(2))
                        .as("the database the line points at is the running one's")
                        .isTrue();
            }
        } finally {
            running.destroyForcibly();
            running.waitFor(30, TimeUnit.SECONDS);
            // The server outlives the JVM that started it (its shutdown hook is Steward's, not the test's).
            ProcessHandle.of(postmaster).ifPresent(server -> {
                server.destroy();
                server.onExit().orTimeout(60, TimeUnit.SECONDS).join();
            });
        }
    }

    @Test
    void aSecondServerIsToldToStopTheFirstTakeItsOwnDirectoryOrShareTheDatabase() {
        Path dir = Path.of("/srv/steward-data");
        assertThat(DatabaseInUse.describe(dir, OptionalLong.of(4242), OptionalInt.of(5433), null)
                        .getMessage())
                .isEqualTo("The database in /srv/steward-data is in use by another running Steward (process 4242)."
                        + " Stop it, give this one a directory of its own (STEWARD_DATABASE_DATA_DIR), or share that"
                        + " one's database: STEWARD_DATABASE_URL=jdbc:postgresql://localhost:5433/postgres"
                        + " STEWARD_DATABASE_USERNAME=postgres STEWARD_DATABASE_PASSWORD=\"$(cat"
                        + " /srv/steward-data/postgres-password)\"");
        assertThat(DatabaseInUse.describe(dir, OptionalLong.empty(), OptionalInt.empty(), "demo")
                        .getMessage())
                .as("a server still starting has no port yet")
                .isEqualTo("The database in /srv/steward-data is in use by another running Steward. Stop it and run"
                        + " 'demo' again, or, once it has started, point 'demo' at its PostgreSQL with"
                        + " --steward.database.url (the port is in /srv/steward-data/postgres/postmaster.pid)");
    }

    @Test
    void theHolderIsReadFromTheSystemsListOfLocks() {
        List<String> locks = List.of(
                "1: POSIX  ADVISORY  WRITE 12303 fe:00:2191590 0 EOF",
                "2: FLOCK  ADVISORY  WRITE 14175 fe:00:2193967 0 EOF",
                "2: -> POSIX  ADVISORY  WRITE 777 fe:00:2193967 0 EOF",
                "3: POSIX  ADVISORY  WRITE 12594 fe:01:2193967 0 EOF");
        assertThat(DatabaseInUse.holder(locks, "fe:01:2193967", 2193967)).hasValue(12594);
        assertThat(DatabaseInUse.holder(locks, "08:02:2191590", 2191590))
                .as("the device written otherwise, one lock on the inode")
                .hasValue(12303);
        assertThat(DatabaseInUse.holder(locks, "08:02:2193967", 2193967))
                .as("two locks on the inode, neither on the device: unknown rather than wrong")
                .isEmpty();
    }
}
