package dev.steward.ingest.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import tools.jackson.databind.json.JsonMapper;

/**
 * A vendor's API as every pull calls it: a 429 that names no {@code Retry-After} is waited out until its {@code
 * X-RateLimit-Reset} (Intercom's way), measured on Steward's clock; one that asks for too long a wait fails at once
 * with the reason; a search's JSON body and the vendor's headers are sent as given; the vendor's words explain a
 * refusal; the next page of a list is the one its {@code Link} header names next.
 */
class VendorHttpTests {

    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    WireMockServer vendor;

    @BeforeEach
    void start() {
        vendor = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        vendor.start();
    }

    @AfterEach
    void stop() {
        vendor.stop();
    }

    private VendorHttp http() {
        return new VendorHttp(
                new VendorHttp.Settings(
                        "Intercom",
                        "steward.intercom",
                        2,
                        Duration.ofMillis(50),
                        Duration.ofMillis(200),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(5)),
                JsonMapper.builder().build(),
                Clock.fixed(NOW, ZoneOffset.UTC),
                body -> body.path("errors").path(0).path("message").asString(null));
    }

    @Test
    void a429IsWaitedOutUntilItsRateLimitResetAndTheSearchIsSentAsGiven() {
        vendor.stubFor(post(urlPathEqualTo("/conversations/search"))
                .inScenario("busy")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("X-RateLimit-Limit", "10000")
                        .withHeader("X-RateLimit-Remaining", "0")
                        .withHeader("X-RateLimit-Reset", Long.toString(NOW.getEpochSecond() + 1)))
                .willSetStateTo("reset"));
        vendor.stubFor(post(urlPathEqualTo("/conversations/search"))
                .inScenario("busy")
                .whenScenarioStateIs("reset")
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"type\": \"conversation.list\", \"conversations\": []}")));
        VendorHttp.Calls calls = new VendorHttp.Calls();
        long start = System.nanoTime();
        var body = http().send(
                        HttpMethod.POST,
                        URI.create("http://127.0.0.1:" + vendor.port() + "/conversations/search"),
                        Map.of("Authorization", "Bearer t-1", "Intercom-Version", "2.11"),
                        "{\"query\": {\"field\": \"updated_at\", \"operator\": \">\", \"value\": 0}}",
                        null,
                        calls);
        assertThat(body.path("type").asString()).isEqualTo("conversation.list");
        assertThat(calls.count()).isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(990));
        vendor.verify(
                2,
                postRequestedFor(urlPathEqualTo("/conversations/search"))
                        .withHeader("Authorization", equalTo("Bearer t-1"))
                        .withHeader("Intercom-Version", equalTo("2.11"))
                        .withHeader("Content-Type", equalTo("application/json"))
                        .withRequestBody(equalToJson(
                                "{\"query\": {\"field\": \"updated_at\", \"operator\": \">\", \"value\": 0}}")));
    }

    @Test
    void a429ThatNamesNoWaitIsWaitedOutWithADoublingBackoffThenSentAgain() {
        vendor.stubFor(post(urlPathEqualTo("/crm/v3/objects/companies/search"))
                .inScenario("secondly")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429))
                .willSetStateTo("once"));
        vendor.stubFor(post(urlPathEqualTo("/crm/v3/objects/companies/search"))
                .inScenario("secondly")
                .whenScenarioStateIs("once")
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"status\": \"error\", \"message\": \"You have reached your secondly limit.\"}"))
                .willSetStateTo("again"));
        vendor.stubFor(post(urlPathEqualTo("/crm/v3/objects/companies/search"))
                .inScenario("secondly")
                .whenScenarioStateIs("again")
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"total\": 0, \"results\": []}")));
        VendorHttp.Calls calls = new VendorHttp.Calls();
        long start = System.nanoTime();
        var body = http().send(
                        HttpMethod.POST,
                        URI.create("http://127.0.0.1:" + vendor.port() + "/crm/v3/objects/companies/search"),
                        Map.of("Authorization", "Bearer pat-1"),
                        "{\"limit\": 100}",
                        null,
                        calls);
        assertThat(body.path("total").asInt()).isZero();
        assertThat(calls.count()).isEqualTo(3);
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("50 ms, then 100 ms, each less at most a quarter of jitter")
                .isGreaterThanOrEqualTo(Duration.ofMillis(112));
    }

    @Test
    void aResetTooFarAwayFailsAtOnceAndARefusalSaysTheVendorsWords() {
        vendor.stubFor(post(urlPathEqualTo("/tickets/search"))
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("X-RateLimit-Reset", Long.toString(NOW.getEpochSecond() + 3600))));
        VendorHttp.Calls calls = new VendorHttp.Calls();
        assertThatThrownBy(() -> http().send(
                                HttpMethod.POST,
                                URI.create("http://127.0.0.1:" + vendor.port() + "/tickets/search"),
                                Map.of(),
                                "{}",
                                null,
                                calls))
                .isInstanceOf(VendorHttp.Refused.class)
                .hasMessage("Intercom asked to wait 3600 s before the next request, longer than"
                        + " steward.intercom.max-retry-after (10 s)");
        assertThat(calls.count()).isEqualTo(1);

        vendor.stubFor(post(urlPathEqualTo("/contacts/search"))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("""
                        {"type": "error.list", "errors": [{"code": "parameter_invalid",
                         "message": "per_page must be at most 150"}]}""")));
        assertThatThrownBy(() -> http().send(
                                HttpMethod.POST,
                                URI.create("http://127.0.0.1:" + vendor.port() + "/contacts/search"),
                                Map.of(),
                                "{}",
                                null,
                                null))
                .isInstanceOfSatisfying(VendorHttp.Refused.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo("per_page must be at most 150");
                });
    }

    @Test
    void aStreamedBodyReachesTheReaderOnceAfterA503AndARefusalNeverDoes() {
        vendor.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/export"))
                .inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("up"));
        vendor.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/export"))
                .inScenario("flaky")
                .whenScenarioStateIs("up")
                .willReturn(aResponse().withHeader("Content-Type", "text/plain").withBody("line 1\nline 2\n")));
        vendor.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/gone"))
                .willReturn(aResponse()
                        .withStatus(404)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"errors\": [{\"message\": \"No such export\"}]}")));
        VendorHttp.Calls calls = new VendorHttp.Calls();
        java.util.List<String> reads = new java.util.ArrayList<>();

        String body = http().stream(
                URI.create("http://127.0.0.1:" + vendor.port() + "/export"),
                Map.of("Accept", "*/*"),
                null,
                calls,
                (headers, in) -> {
                    String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                    reads.add(text);
                    return text;
                });

        assertThat(body).isEqualTo("line 1\nline 2\n");
        assertThat(reads).hasSize(1);
        assertThat(calls.count()).isEqualTo(2);
        assertThatThrownBy(() -> http().stream(
                        URI.create("http://127.0.0.1:" + vendor.port() + "/gone"),
                        Map.of(),
                        null,
                        null,
                        (headers, in) -> {
                            reads.add("read a refusal");
                            return null;
                        }))
                .isInstanceOf(VendorHttp.Refused.class)
                .hasMessage("No such export")
                .satisfies(e -> assertThat(((VendorHttp.Refused) e).status()).isEqualTo(404));
        assertThat(reads).hasSize(1);
    }

    @Test
    void theNextPageIsTheOneTheLinkHeaderNamesNext() {
        assertThat(links("<https://acme.freshdesk.com/api/v2/tickets?page=2&per_page=100>; rel=\"next\"")
                        .nextLink())
                .isEqualTo("https://acme.freshdesk.com/api/v2/tickets?page=2&per_page=100");
        assertThat(links("<https://api.example/items?page=1>; rel=\"prev\", <https://api.example/items?page=3>;"
                                + " title=\"more, later\"; rel=\"next last\"")
                        .nextLink())
                .as("several links, several relations")
                .isEqualTo("https://api.example/items?page=3");
        assertThat(links("<https://api.example/items?page=1>; rel=\"prev\"").nextLink())
                .isNull();
        assertThat(new VendorHttp.Response(JsonMapper.builder().build().createArrayNode(), new HttpHeaders())
                        .nextLink())
                .as("the last page names no next one")
                .isNull();
    }

    private static VendorHttp.Response links(String link) {
        HttpHeaders headers = new HttpHeaders();
        headers.add(HttpHeaders.LINK, link);
        return new VendorHttp.Response(JsonMapper.builder().build().createArrayNode(), headers);
    }
}
