package dev.steward.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.StewardApplication;
import dev.steward.core.FormSignIn;
import dev.steward.core.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two complete Steward instances on one database, as behind a load balancer without sticky sessions: a session made
 * on one is honoured by the other, and disabling its user ends it on both.
 */
@Tag("postgres")
class SessionsAcrossInstancesTests {

    private static final String PASSWORD = "two-instances-test-password";

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

    @AfterEach
    void stop() {
        instances.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void aSessionMadeOnOneInstanceIsHonouredByTheOtherAndRevokedOnBoth() throws Exception {
        String database = TestDatabase.createDatabase();
        int first = start(database);
        int second = start(database);
        User ines = instances
                .get(0)
                .getBean(UserManagement.class)
                .createIfAbsent("ines@example.com", "Ines", Role.MANAGER, "ines' long password");

        String session = signIn(first, "ines@example.com", "ines' long password");
        assertThat(get(first, "/api/v1/accounts", session).statusCode()).isEqualTo(200);
        assertThat(get(second, "/api/v1/accounts", session).statusCode())
                .as("the other instance honours the session")
                .isEqualTo(200);

        String admin = signIn(second, "admin@steward.local", PASSWORD);
        String token = FormSignIn.csrf(get(first, "/settings/users", admin).body());
        HttpResponse<String> disabled = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + first + "/api/v1/users/" + ines.id()))
                        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"enabled\": false}"))
                        .header("Content-Type", "application/json")
                        .header("X-CSRF-TOKEN", token)
                        .header("Cookie", admin)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);

        assertThat(get(first, "/api/v1/accounts", session).statusCode()).isEqualTo(401);
        assertThat(get(second, "/api/v1/accounts", session).statusCode()).isEqualTo(401);
    }

    private int start(String database) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(StewardApplication.class)
                .run(
                        "--server.port=0",
                        "--steward.database.url=" + database,
                        "--steward.database.username=" + TestDatabase.username(),
                        "--steward.database.password=" + TestDatabase.password(),
                        "--steward.database.pool-size=4",
                        "--steward.demo.load-on-start=false",
                        "--steward.admin.password=" + PASSWORD);
        instances.add(context);
        return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }

    private String signIn(int port, String email, String password) throws Exception {
        return FormSignIn.signIn(port, email, password);
    }

    private HttpResponse<String> get(int port, String path, String cookie) throws Exception {
        return FormSignIn.get(port, path, cookie);
    }
}
