package dev.steward.ingest.zendesk;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.steward.ingest.sync.VendorHttp;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Zendesk's API as the pulls call it, against a local server answering as Zendesk does: requests are spaced to stay
 * under the limit, a 429 is waited out for its Retry-After, a 5xx is retried with backoff a bounded number of times,
 * and every attempt is counted.
 */
class ZendeskApiTests {

    private static final ZendeskApi.Credentials CREDENTIALS =
            new ZendeskApi.Credentials("acme", "admin@acme.example", "token-1", false);

    WireMockServer zendesk;

    @BeforeEach
    void start() {
        zendesk = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        zendesk.start();
    }

    @AfterEach
    void stop() {
        zendesk.stop();
    }

    private ZendeskApi api(int perMinute, Duration maxRetryAfter) {
        return new ZendeskApi(
                new ZendeskProperties(
                        "http://127.0.0.1:" + zendesk.port(),
                        perMinute,
                        perMinute,
                        2,
                        Duration.ofMillis(50),
                        Duration.ofMillis(200),
                        maxRetryAfter,
                        Duration.ofSeconds(5)),
                JsonMapper.builder().build(),
                Clock.systemUTC());
    }

    @Test
    void requestsOfASourceAreSpacedToStayUnderTheLimitAndSignedWithTheToken() {
        zendesk.stubFor(get(urlPathEqualTo("/api/v2/incremental/users/cursor.json"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("""
                        {"users": [], "after_cursor": null, "end_of_stream": true}""")));
        ZendeskApi api = api(300, Duration.ofSeconds(10));
        VendorHttp.Calls calls = new VendorHttp.Calls();
        UUID source = UUID.randomUUID();
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            api.get(source, CREDENTIALS, ZendeskApi.Budget.exports, "/api/v2/incremental/users/cursor.json", calls);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(calls.count()).isEqualTo(5);
        // 300 a minute: one every 200 ms, so five take at least four intervals.
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(790));
        zendesk.verify(
                5,
                getRequestedFor(urlPathEqualTo("/api/v2/incremental/users/cursor.json"))
                        .withHeader(
                                "Authorization",
                                com.github.tomakehurst.wiremock.client.WireMock.equalTo(
                                        "Basic YWRtaW5AYWNtZS5leGFtcGxlL3Rva2VuOnRva2VuLTE=")));
    }

    @Test
    void a429IsWaitedOutForItsRetryAfterAndA5xxIsRetriedWithBackoff() {
        zendesk.stubFor(get(urlPathEqualTo("/api/v2/satisfaction_ratings.json"))
                .inScenario("busy")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "1")
                        .withBody("{\"error\": \"TooManyRequests\"}"))
                .willSetStateTo("down"));
        zendesk.stubFor(get(urlPathEqualTo("/api/v2/satisfaction_ratings.json"))
                .inScenario("busy")
                .whenScenarioStateIs("down")
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("up"));
        zendesk.stubFor(get(urlPathEqualTo("/api/v2/satisfaction_ratings.json"))
                .inScenario("busy")
                .whenScenarioStateIs("up")
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"satisfaction_ratings\": [], \"meta\": {\"has_more\": false}}")));
        VendorHttp.Calls calls = new VendorHttp.Calls();
        long start = System.nanoTime();
        var body = api(6000, Duration.ofSeconds(10))
                .get(
                        UUID.randomUUID(),
                        CREDENTIALS,
                        ZendeskApi.Budget.calls,
                        "/api/v2/satisfaction_ratings.json",
                        calls);
        assertThat(body.path("meta").path("has_more").asBoolean()).isFalse();
        assertThat(calls.count()).isEqualTo(3);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(990));
    }

    @Test
    void aZendeskThatKeepsFailingOrAsksForTooLongAWaitFailsWithTheReason() {
        zendesk.stubFor(get(urlPathEqualTo("/api/v2/incremental/tickets/cursor.json"))
                .willReturn(aResponse().withStatus(502)));
        VendorHttp.Calls calls = new VendorHttp.Calls();
        ZendeskApi api = api(6000, Duration.ofSeconds(10));
        assertThatThrownBy(() -> api.get(
                        UUID.randomUUID(),
                        CREDENTIALS,
                        ZendeskApi.Budget.exports,
                        "/api/v2/incremental/tickets/cursor.json",
                        calls))
                .isInstanceOfSatisfying(
                        VendorHttp.Refused.class, e -> assertThat(e.status()).isEqualTo(502));
        assertThat(calls.count()).as("the first try and two retries").isEqualTo(3);

        zendesk.stubFor(get(urlPathEqualTo("/api/v2/incremental/organizations.json"))
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3600")));
        VendorHttp.Calls more = new VendorHttp.Calls();
        assertThatThrownBy(() -> api.get(
                        UUID.randomUUID(),
                        CREDENTIALS,
                        ZendeskApi.Budget.exports,
                        "/api/v2/incremental/organizations.json",
                        more))
                .isInstanceOf(VendorHttp.Refused.class)
                .hasMessageContaining("asked to wait 3600 s");
        assertThat(more.count()).isEqualTo(1);
    }

    @Test
    void refusedCredentialsSayZendesksReason() {
        zendesk.stubFor(get(urlPathEqualTo("/api/v2/users/me.json"))
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": \"Couldn't authenticate you\"}")));
        assertThatThrownBy(() -> api(6000, Duration.ofSeconds(10)).me(CREDENTIALS))
                .isInstanceOfSatisfying(VendorHttp.Refused.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.getMessage()).isEqualTo("Couldn't authenticate you");
                });
    }
}
