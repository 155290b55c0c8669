package dev.steward.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.jayway.jsonpath.JsonPath;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * Outbound webhooks against a real HTTP server (WireMock on a free port): the JSON an integrator gets, a signature they
 * can check with nothing but the secret, and an endpoint that fails being tried again with the same delivery id.
 */
class WebhookDeliveryTests extends DeliveryTest {

    private static final Pattern SIGNATURE = Pattern.compile("t=(\\d+),v1=([0-9a-f]{64})");

    static WireMockServer endpoint;

    @BeforeAll
    static void startEndpoint() {
        endpoint = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        endpoint.start();
    }

    @AfterAll
    static void stopEndpoint() {
        endpoint.stop();
    }

    @AfterEach
    void removeEndpoints() {
        jdbc.sql("delete from notify_webhook").update();
        endpoint.resetAll();
    }

    @Test
    void anEndpointGetsTheEventsItWantsAsSignedJson() throws Exception {
        endpoint.stubFor(post("/hooks/crm").willReturn(aResponse().withStatus(204)));
        String secret = register("/hooks/crm", "cta.*");

        transactions().executeWithoutResult(status -> {
            notifications.broadcast(
                    "cta.escalated", Map.of("text", "Acme Corp: CTA escalated", "ctaId", "42", "priority", 2));
            notifications.broadcast("playbook.started", Map.of("playbook", "Onboarding"));
        });

        await().until(() ->
                endpoint.findAll(postRequestedFor(urlEqualTo("/hooks/crm"))).size() == 1);
        LoggedRequest request =
                endpoint.findAll(postRequestedFor(urlEqualTo("/hooks/crm"))).get(0);
        String body = request.getBodyAsString();
        assertThat(request.getHeader("Content-Type")).startsWith("application/json");
        assertThat((String) JsonPath.read(body, "$.kind")).isEqualTo("cta.escalated");
        assertThat((String) JsonPath.read(body, "$.text")).isEqualTo("Acme Corp: CTA escalated");
        assertThat((String) JsonPath.read(body, "$.occurredAt"))
                .isEqualTo(CLOCK.instant().toString());
        assertThat((String) JsonPath.read(body, "$.data.ctaId")).isEqualTo("42");
        assertThat((Integer) JsonPath.read(body, "$.data.priority")).isEqualTo(2);
        UUID event = UUID.fromString(JsonPath.read(body, "$.id"));

        assertThat(signedAt(secret, request)).isEqualTo(CLOCK.instant().getEpochSecond());
        Delivery delivery = await().until(() -> webhookDeliveryOf(event), d -> d.status() == Delivery.Status.sent);
        assertThat(request.getHeader("Steward-Delivery"))
                .isEqualTo(delivery.id().toString());
        assertThat(delivery.attempts()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from notify_event where kind = 'playbook.started'")
                        .query(Integer.class)
                        .single())
                .as("events no endpoint wanted, kept")
                .isZero();
    }

    @Test
    void anEndpointThatAnswers500IsTriedAgainLaterWithTheSameDelivery() throws Exception {
        endpoint.stubFor(post("/hooks/flaky")
                .inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500).withBody("database on fire"))
                .willSetStateTo("recovered"));
        endpoint.stubFor(post("/hooks/flaky")
                .inScenario("flaky")
                .whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200)));
        String secret = register("/hooks/flaky", "sla.breached");

        notifications.broadcast("sla.breached", Map.of("account", "Globex"));

        Delivery failed = await().until(this::onlyDelivery, d -> d.attempts() == 1);
        assertThat(failed.status()).isEqualTo(Delivery.Status.pending);
        assertThat(failed.lastError()).contains("HTTP 500").contains("database on fire");
        assertThat(failed.nextAttemptAt()).isEqualTo(CLOCK.instant().plus(Duration.ofSeconds(30)));

        CLOCK.advance(Duration.ofSeconds(30));

        Delivery sent = await().until(this::onlyDelivery, d -> d.status() == Delivery.Status.sent);
        assertThat(sent.attempts()).isEqualTo(2);
        List<LoggedRequest> requests = endpoint.findAll(postRequestedFor(urlEqualTo("/hooks/flaky")));
        assertThat(requests).hasSize(2);
        assertThat(requests)
                .extracting(r -> r.getHeader("Steward-Delivery"))
                .containsOnly(sent.id().toString());
        // Each attempt is signed anew, at its own time.
        assertThat(signedAt(secret, requests.get(0))).isEqualTo(CLOCK.instant().getEpochSecond() - 30);
        assertThat(signedAt(secret, requests.get(1))).isEqualTo(CLOCK.instant().getEpochSecond());
    }

    /** Registers an endpoint on the test server through the API, as an administrator would; answers its secret. */
    private String register(String path, String kind) throws Exception {
        User admin = user("hook.admin@example.com", Role.ADMIN);
        String created = mvc.perform(MockMvcRequestBuilders.post("/api/v1/webhooks")
                        .with(as(admin))
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"url\": \"" + endpoint.baseUrl() + path + "\", \"kinds\": [\"" + kind + "\"]}"))
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getContentAsString();
        return JsonPath.read(created, "$.secret");
    }

    /** Checks the signature as an integrator would (HMAC-SHA256 of "t.body" with the secret); answers its t. */
    private static long signedAt(String secret, LoggedRequest request) throws Exception {
        Matcher signature = SIGNATURE.matcher(request.getHeader("Steward-Signature"));
        assertThat(signature.matches())
                .as("Steward-Signature %s", request.getHeader("Steward-Signature"))
                .isTrue();
        long timestamp = Long.parseLong(signature.group(1));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal((timestamp + "." + request.getBodyAsString()).getBytes(StandardCharsets.UTF_8));
        assertThat(signature.group(2)).isEqualTo(HexFormat.of().formatHex(expected));
        return timestamp;
    }

    private Delivery webhookDeliveryOf(UUID event) {
        return jdbc.sql("select * from notify_delivery where event_id = ?")
                .param(event)
                .query(Outbox::map)
                .single();
    }

    private Delivery onlyDelivery() {
        return jdbc.sql("select * from notify_delivery where channel = 'webhook'")
                .query(Outbox::map)
                .single();
    }
}
