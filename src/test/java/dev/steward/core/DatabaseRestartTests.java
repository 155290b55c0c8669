package dev.steward.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.steward.StewardApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * PostgreSQL stops and starts again while Steward runs: meanwhile requests are answered at once with 503,
 * {@code Retry-After} and a problem, readiness says DOWN while liveness stays UP, and afterwards Steward works again on
 * its own, without a restart.
 */
@Tag("postgres")
class DatabaseRestartTests {

    private static final String PASSWORD = "database-restart-test-password";

    @TempDir
    Path dataDir;

    @Test
    void requestsGet503WhileTheDatabaseIsDownAndWorkAgainOnceItIsBack() throws Exception {
        int databasePort = freePort();
        EmbeddedPostgres database = startDatabase(databasePort);
        ConfigurableApplicationContext steward = null;
        try {
            steward = new SpringApplicationBuilder(StewardApplication.class)
                    .run(
                            "--server.port=0",
                            "--steward.database.url=jdbc:postgresql://localhost:" + databasePort + "/postgres",
                            "--steward.database.username=postgres",
                            "--steward.database.password=",
                            "--steward.database.pool-size=4",
                            "--steward.demo.load-on-start=false",
                            "--steward.admin.password=" + PASSWORD);
            int port = steward.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
            String session = FormSignIn.signIn(port, "admin@steward.local", PASSWORD);
            assertThat(FormSignIn.get(port, "/api/v1/accounts", session).statusCode())
                    .isEqualTo(200);
            assertThat(FormSignIn.get(port, "/actuator/health/readiness", null).body())
                    .contains("\"UP\"");
            assertThat(FormSignIn.get(port, "/actuator/health", null).statusCode())
                    .isEqualTo(200);

            database.close();

            Instant asked = Instant.now();
            HttpResponse<String> duringOutage = FormSignIn.get(port, "/api/v1/accounts", session);
            Duration answeredIn = Duration.between(asked, Instant.now());
            System.out.println("Answered during the outage in " + answeredIn.toMillis() + " ms");
            assertThat(duringOutage.statusCode()).as(duringOutage.body()).isEqualTo(503);
            assertThat(duringOutage.headers().firstValue("Retry-After")).contains("5");
            assertThat(duringOutage.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(duringOutage.body()).contains("database-unavailable").contains("Try again");
            assertThat(answeredIn).as("time to answer").isLessThan(Duration.ofSeconds(10));
            assertThat(FormSignIn.get(port, "/actuator/health/readiness", null).statusCode())
                    .isEqualTo(503);
            assertThat(FormSignIn.get(port, "/actuator/health/liveness", null).statusCode())
                    .isEqualTo(200);

            database = startDatabase(databasePort);

            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            FormSignIn.get(port, "/api/v1/accounts", session).statusCode() == 200);
            assertThat(FormSignIn.get(port, "/actuator/health/readiness", null).statusCode())
                    .isEqualTo(200);
        } finally {
            if (steward != null) {
                steward.close();
            }
            database.close();
        }
    }

    private EmbeddedPostgres startDatabase(int port) throws Exception {
        return EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPort(port)
                .start();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
