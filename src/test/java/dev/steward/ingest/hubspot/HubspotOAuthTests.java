package dev.steward.ingest.hubspot;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.model;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Connecting HubSpot through an OAuth app, against a local server answering as HubSpot documents its OAuth 2 token
 * endpoint ({@code POST /oauth/v1/token}: the authorization code exchanged, the refresh token used) and its CRM: the
 * authorization starts with HubSpot's consent URL for the app, scopes and a state; the callback exchanges the code
 * (form fields asserted), asks whose account it is with the access token and makes the source, keeping the client
 * secret and refresh token sealed; the first pull, answered 401 for an access token HubSpot says expired, refreshes it
 * once and sends the request again; an access token that expires within the minute is refreshed before it is used.
 */
@StewardTest
@WithMockUser(roles = "ADMIN")
@TestPropertySource(
        properties = {
            "steward.secrets.key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
            "steward.hubspot.backoff=50ms",
            "steward.hubspot.max-backoff=200ms"
        })
class HubspotOAuthTests {

    static final String CLIENT_ID = "5f1b6c2e-8a4d-4b1e-9c3a-2d7e6f5a4b3c";

    static final String CLIENT_SECRET = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b";

    static final String REDIRECT = "https://steward.example.com/sources/hubspot/callback";

    static WireMockServer hubspot;

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @BeforeAll
    static void startHubspot() {
        hubspot = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        hubspot.start();
        // The code of the first consent: an access token HubSpot will soon call expired, then a new one.
        hubspot.stubFor(token("authorization_code")
                .withFormParam("redirect_uri", equalTo(REDIRECT))
                .withFormParam("code", equalTo("code-one"))
                .willReturn(tokens("access-one", "refresh-one", 1800)));
        hubspot.stubFor(token("refresh_token")
                .withFormParam("refresh_token", equalTo("refresh-one"))
                .willReturn(tokens("access-two", "refresh-one", 1800)));
        // The code of the second: an access token with half a minute left.
        hubspot.stubFor(token("authorization_code")
                .withFormParam("code", equalTo("code-two"))
                .willReturn(tokens("access-three", "refresh-two", 30)));
        hubspot.stubFor(token("refresh_token")
                .withFormParam("refresh_token", equalTo("refresh-two"))
                .willReturn(tokens("access-four", "refresh-two", 1800)));
        hubspot.stubFor(WireMock.post(urlPathEqualTo("/oauth/v1/token"))
                .withFormParam("code", equalTo("code-unknown"))
                .atPriority(1)
                .willReturn(json(400, """
                        {"status": "BAD_AUTH_CODE", "message": "missing or unknown auth code",
                         "correlationId": "c0d3", "requestId": "r1"}""")));

        for (String access : List.of("access-one", "access-three")) {
            hubspot.stubFor(bearer(WireMock.get(urlPathEqualTo("/account-info/v3/details")), access)
                    .willReturn(json(200, """
                            {"portalId": 8810, "timeZone": "Europe/Berlin", "companyCurrency": "EUR",
                             "uiDomain": "app-eu1.hubspot.com", "dataHostingLocation": "eu1", "accountType": "STANDARD"}""")));
        }
        for (String object : List.of("companies", "contacts", "deals")) {
            for (String expired : List.of("access-one", "access-three")) {
                hubspot.stubFor(bearer(WireMock.get(urlPathEqualTo("/crm/v3/objects/" + object)), expired)
                        .willReturn(json(401, """
                                {"status": "error", "message": "The OAuth token used to make this call expired 2 minute(s) ago.",
                                 "correlationId": "e1", "category": "EXPIRED_AUTHENTICATION"}""")));
            }
            for (String access : List.of("access-two", "access-four")) {
                hubspot.stubFor(bearer(WireMock.get(urlPathEqualTo("/crm/v3/objects/" + object)), access)
                        .willReturn(json(200, object.equals("companies") ? """
                                {"results": [{"id": "4401", "properties": {"name": "Consent Corp",
                                  "createdate": "2025-06-01T10:00:00.000Z", "hs_lastmodifieddate": "2026-03-01T10:00:00.000Z"},
                                 "createdAt": "2025-06-01T10:00:00.000Z", "updatedAt": "2026-03-01T10:00:00.000Z",
                                 "archived": false}]}""" : """
                                {"results": []}""")));
            }
        }
    }

    @DynamicPropertySource
    static void hubspotApi(DynamicPropertyRegistry registry) {
        registry.add("steward.hubspot.api-url", () -> "http://127.0.0.1:" + hubspot.port());
    }

    @AfterAll
    static void stopHubspot() {
        hubspot.stop();
    }

    @Test
    void anOAuthAppIsConsentedToAndItsExpiredAccessTokenRefreshed() throws Exception {
        authorize("""
                        {"name": "hubspot-app", "clientId": "%s"}""".formatted(CLIENT_ID))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("clientSecret")));

        String state = start("hubspot-app");
        mvc.perform(get("/sources/hubspot/callback")
                        .param("state", "no-such-state")
                        .param("code", "code-one"))
                .andExpect(status().isOk())
                .andExpect(model().attribute("hubspotField", "state"));
        mvc.perform(get("/sources/hubspot/callback").param("state", state).param("code", "code-one"))
                .andExpect(redirectedUrl("/sources/hubspot-app"));
        hubspot.verify(postRequestedFor(urlPathEqualTo("/oauth/v1/token"))
                .withHeader("Content-Type", WireMock.containing("application/x-www-form-urlencoded"))
                .withFormParam("grant_type", equalTo("authorization_code"))
                .withFormParam("client_id", equalTo(CLIENT_ID))
                .withFormParam("client_secret", equalTo(CLIENT_SECRET))
                .withFormParam("redirect_uri", equalTo(REDIRECT))
                .withFormParam("code", equalTo("code-one")));
        mvc.perform(get("/sources/hubspot/callback").param("state", state).param("code", "code-one"))
                .andExpect(model().attribute("hubspotField", "state"));

        mvc.perform(get("/api/v1/hubspot/sources/hubspot-app"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.portalId", is(8810)))
                .andExpect(jsonPath("$.clientId", is(CLIENT_ID)))
                .andExpect(jsonPath("$.scopes", is(HubspotSources.READ_SCOPES)));
        assertThat(secret("hubspot-app"))
                .startsWith("gcm1:")
                .doesNotContain("refresh-one")
                .doesNotContain(CLIENT_SECRET);

        waitForRuns("hubspot-app", 3);
        Map<String, Object> companies = run("hubspot-app", "companies");
        assertThat(companies).containsEntry("state", "succeeded");
        assertThat(counts(companies))
                .containsEntry("created", 1)
                .as("the 401 for the expired token, then the same request with the new one")
                .containsEntry("apiCalls", 2);
        hubspot.verify(
                1,
                postRequestedFor(urlPathEqualTo("/oauth/v1/token"))
                        .withFormParam("grant_type", equalTo("refresh_token"))
                        .withFormParam("client_id", equalTo(CLIENT_ID))
                        .withFormParam("client_secret", equalTo(CLIENT_SECRET))
                        .withFormParam("refresh_token", equalTo("refresh-one")));
        hubspot.verify(getRequestedFor(urlPathEqualTo("/crm/v3/objects/deals"))
                .withHeader("Authorization", equalTo("Bearer access-two")));
        assertThat(counts(run("hubspot-app", "contacts"))).containsEntry("apiCalls", 1);
    }

    @Test
    void anAccessTokenAboutToExpireIsRefreshedBeforeItIsUsed() throws Exception {
        String state = start("hubspot-soon");
        mvc.perform(get("/sources/hubspot/callback").param("state", state).param("code", "code-two"))
                .andExpect(redirectedUrl("/sources/hubspot-soon"));
        waitForRuns("hubspot-soon", 3);
        assertThat(counts(run("hubspot-soon", "companies")))
                .containsEntry("created", 1)
                .as("no 401: the token was renewed first")
                .containsEntry("apiCalls", 1);
        hubspot.verify(
                1,
                postRequestedFor(urlPathEqualTo("/oauth/v1/token"))
                        .withFormParam("refresh_token", equalTo("refresh-two")));
    }

    @Test
    void aCodeHubspotRefusesKeepsNothing() throws Exception {
        String state = start("hubspot-refused");
        mvc.perform(get("/sources/hubspot/callback").param("state", state).param("code", "code-unknown"))
                .andExpect(status().isOk())
                .andExpect(model().attribute("hubspotField", "code"))
                .andExpect(model().attribute(
                                "hubspotError",
                                "HubSpot's answer: HubSpot refused: missing or unknown auth" + " code"));
        mvc.perform(get("/api/v1/hubspot/sources/hubspot-refused")).andExpect(status().isNotFound());
    }

    /** Starts an authorization; checks HubSpot's consent URL and answers the state. */
    private String start(String name) throws Exception {
        String answer = authorize("""
                        {"name": "%s", "clientId": "%s", "clientSecret": "%s",
                         "stewardUrl": "https://steward.example.com/"}""".formatted(name, CLIENT_ID, CLIENT_SECRET))
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getContentAsString();
        String state = JsonPath.read(answer, "$.state");
        assertThat(state).matches("[A-Za-z0-9_-]{32}");
        assertThat(JsonPath.<String>read(answer, "$.redirectUri")).isEqualTo(REDIRECT);
        assertThat(JsonPath.<String>read(answer, "$.authorizeUrl"))
                .isEqualTo("https://app.hubspot.com/oauth/authorize?client_id=" + CLIENT_ID + "&redirect_uri="
                        + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8)
                        + "&scope=oauth%20crm.objects.companies.read%20crm.objects.contacts.read"
                        + "%20crm.objects.deals.read&state=" + state);
        return state;
    }

    private org.springframework.test.web.servlet.ResultActions authorize(String body) throws Exception {
        return mvc.perform(post("/api/v1/hubspot/authorizations")
                .with(csrf())
                .contentType(MediaType.APPLICATION_JSON)
                .content(body));
    }

    private String secret(String source) {
        return jdbc.sql("""
                        select c.secret from ingest_pull_connection c join ingest_source s on s.id = c.source_id
                        where s.name = ?""").param(source).query(String.class).single();
    }

    private void waitForRuns(String source, int count) {
        Awaitility.await("the pull of " + source + " ends")
                .pollInSameThread()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    List<String> states =
                            JsonPath.read(body("/api/v1/hubspot/sources/" + source + "/runs"), "$[*].state");
                    return states.size() == count && !states.contains("running");
                });
    }

    private Map<String, Object> run(String source, String feed) throws Exception {
        List<Map<String, Object>> runs =
                JsonPath.read(body("/api/v1/hubspot/sources/" + source + "/runs"), "$[?(@.feed == '" + feed + "')]");
        return runs.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> counts(Map<String, Object> run) {
        return (Map<String, Object>) run.get("counts");
    }

    private String body(String path) throws Exception {
        return mvc.perform(get(path)).andReturn().getResponse().getContentAsString();
    }

    /** HubSpot's token endpoint asked for a grant by this app. */
    private static MappingBuilder token(String grant) {
        return WireMock.post(urlPathEqualTo("/oauth/v1/token"))
                .withHeader("Content-Type", WireMock.containing("application/x-www-form-urlencoded"))
                .withFormParam("grant_type", equalTo(grant))
                .withFormParam("client_id", equalTo(CLIENT_ID))
                .withFormParam("client_secret", equalTo(CLIENT_SECRET));
    }

    /** HubSpot's answer with tokens: {@code token_type}, {@code refresh_token}, {@code access_token}, {@code expires_in}. */
    private static ResponseDefinitionBuilder tokens(String access, String refresh, int expiresIn) {
        return json(200, """
                {"token_type": "bearer", "refresh_token": "%s", "access_token": "%s", "expires_in": %d}""".formatted(refresh, access, expiresIn));
    }

    private static MappingBuilder bearer(MappingBuilder request, String token) {
        return request.withHeader("Authorization", equalTo("Bearer " + token));
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }
}
