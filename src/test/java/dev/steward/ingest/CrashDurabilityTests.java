package dev.steward.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.steward.core.Digests;
import dev.steward.core.TestDatabase;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Steward killed with SIGKILL while senders post batches: after a restart on the same database every event that was
 * answered 200 is stored exactly once, and sending again what was not acknowledged (as Segment's libraries retry)
 * stores each of those once too. Runs Steward as a separate JVM, from the test class path.
 */
@Tag("postgres")
class CrashDurabilityTests {

    private static final int SENDERS = 4;
    private static final int BATCH = 100;

    private final List<Process> servers = new ArrayList<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void stopServers() {
        servers.forEach(Process::destroyForcibly);
    }

    @Test
    void everyAcknowledgedEventSurvivesAKillExactlyOnce() throws Exception {
        String database = TestDatabase.createDatabase();
        Path log = Files.createTempFile("steward-crash-", ".log");
        int port = freePort();
        Process first = start(database, port, log);
        awaitUp(port, first, log);

        String key = "crash" + UUID.randomUUID().toString().replace("-", "");
        UUID source = createSource(database, key);

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        List<List<String>> unacknowledged = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger batches = new AtomicInteger();
        List<Thread> senders = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            int sender = s;
            Thread thread = new Thread(() -> {
                for (int n = 0; !stop.get(); n++) {
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < BATCH; i++) {
                        ids.add("s" + sender + "-b" + n + "-e" + i);
                    }
                    if (send(port, key, ids) == 200) {
                        acknowledged.addAll(ids);
                        batches.incrementAndGet();
                    } else {
                        unacknowledged.add(ids);
                    }
                }
            });
            thread.start();
            senders.add(thread);
        }
        await("40 batches acknowledged")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> batches.get() >= 40);
        first.destroyForcibly().waitFor();
        // Let every sender see the dead server: batches in flight fail now.
        int failedBefore = unacknowledged.size();
        await("every sender's batch refused by the dead server")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> unacknowledged.size() >= failedBefore + SENDERS);
        stop.set(true);
        for (Thread thread : senders) {
            thread.join();
        }
        assertThat(acknowledged).as("events acknowledged before the kill").hasSizeGreaterThanOrEqualTo(40 * BATCH);

        Process second = start(database, port, log);
        awaitUp(port, second, log);
        List<String> stored = storedIds(database, source);
        assertThat(new HashSet<>(stored)).containsAll(acknowledged);
        assertThat(stored).doesNotHaveDuplicates();

        // Senders retry what they got no answer for; one acknowledged batch is sent again as well.
        Set<String> all = new HashSet<>(acknowledged);
        for (List<String> ids : unacknowledged) {
            assertThat(send(port, key, ids)).isEqualTo(200);
            all.addAll(ids);
        }
        assertThat(send(port, key, List.copyOf(acknowledged).subList(0, BATCH))).isEqualTo(200);
        List<String> after = storedIds(database, source);
        assertThat(after).doesNotHaveDuplicates();
        assertThat(new HashSet<>(after)).isEqualTo(all);
        System.out.printf(
                "Killed with SIGKILL after %,d events acknowledged (%d batches unanswered); after the restart %,d"
                        + " stored, each once, and %,d after the unanswered batches were sent again%n",
                acknowledged.size(), unacknowledged.size(), stored.size(), after.size());
    }

    private int send(int port, String key, List<String> ids) {
        StringBuilder body = new StringBuilder("{\"batch\": [");
        for (int i = 0; i < ids.size(); i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"type\": \"track\", \"userId\": \"u\", \"event\": \"Signed In\", \"messageId\": \"")
                    .append(ids.get(i))
                    .append("\", \"context\": {\"groupId\": \"acme\"}}");
        }
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/batch"))
                                    .timeout(Duration.ofSeconds(20))
                                    .header("Authorization", TrackingApiTests.basic(key))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            body.append("]}").toString()))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private Process start(String database, int port, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(
                        java,
                        "-XX:TieredStopAtLevel=1",
                        "-Xmx512m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.steward.StewardApplication",
                        "--server.port=" + port,
                        "--steward.database.url=" + database,
                        "--steward.database.username=" + user(),
                        "--steward.database.password=" + password(),
                        "--steward.demo.load-on-start=false",
                        "--steward.admin.password=crash-test-password",
                        "--logging.level.root=WARN")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .directory(new File("."))
                .start();
        servers.add(process);
        return process;
    }

    private void awaitUp(int port, Process process, Path log) throws Exception {
        try {
            await("Steward answering /login")
                    .atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("Steward exited at start:\n" + Files.readString(log));
                        }
                        try {
                            return http.send(
                                                    HttpRequest.newBuilder(
                                                                    URI.create("http://127.0.0.1:" + port + "/login"))
                                                            .build(),
                                                    HttpResponse.BodyHandlers.discarding())
                                            .statusCode()
                                    == 200;
                        } catch (IOException notYet) {
                            return false;
                        }
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("Steward did not start within 120 s:\n" + Files.readString(log), e);
        }
    }

    private static UUID createSource(String database, String key) throws Exception {
        UUID source = UUID.randomUUID();
        try (Connection connection = DriverManager.getConnection(database, user(), password());
                PreparedStatement insertSource = connection.prepareStatement(
                        "insert into ingest_source (id, name, kind) values (?, 'crash-test', 'segment')");
                PreparedStatement insertKey = connection.prepareStatement(
                        "insert into ingest_write_key (id, source_id, name, prefix, key_hash, created_at)"
                                + " values (?, ?, 'crash', 'crash', ?, now())")) {
            insertSource.setObject(1, source);
            insertSource.executeUpdate();
            insertKey.setObject(1, UUID.randomUUID());
            insertKey.setObject(2, source);
            insertKey.setString(3, Digests.sha256Hex(key));
            insertKey.executeUpdate();
        }
        return source;
    }

    private static List<String> storedIds(String database, UUID source) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(database, user(), password());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "select message_id from segment_event where source_id = '" + source + "'")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String user() {
        String user = System.getenv("STEWARD_TEST_DATABASE_USERNAME");
        return user == null || user.isBlank() ? "postgres" : user;
    }

    private static String password() {
        String password = System.getenv("STEWARD_TEST_DATABASE_PASSWORD");
        return password == null ? "" : password;
    }
}
