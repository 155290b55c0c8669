package dev.steward.ingest.zendesk;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
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
import org.springframework.test.web.servlet.ResultActions;

/**
 * A Zendesk source through the API, against a local server answering with Zendesk's documented shapes. The first pull
 * reads everything: organizations linked to the accounts Steward had (by external id, by domain) or created, end users
 * as contacts, two pages of the ticket export (the second after a 429 waited out) ending with end_of_stream, with a
 * deleted ticket removed and a malformed one rejected while the rest is stored, and ratings as CSAT. The second pull
 * asks from the stored cursors. Credentials Zendesk refuses, or of someone who is not an administrator, keep nothing;
 * the token is stored sealed.
 */
@StewardTest
@WithMockUser(roles = "ADMIN")
@TestPropertySource(
        properties = {
            "steward.secrets.key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
            "steward.zendesk.exports-per-minute=6000",
            "steward.zendesk.calls-per-minute=6000",
            "steward.zendesk.backoff=50ms",
            "steward.zendesk.max-backoff=200ms"
        })
class ZendeskPullApiTests {

    static final String EMAIL = "admin@acme.example";
    static final String TOKEN = "zd-token-Good-0001";
    static final String AGENT_TOKEN = "zd-token-Agent-0002";

    static WireMockServer zendesk;

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @BeforeAll
    static void startZendesk() {
        zendesk = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        zendesk.start();
        zendesk.stubFor(WireMock.get(urlPathEqualTo("/api/v2/users/me.json")).willReturn(json(401, """
                        {"error": "Couldn't authenticate you"}""")));
        zendesk.stubFor(WireMock.get(urlPathEqualTo("/api/v2/users/me.json"))
                .withHeader("Authorization", equalTo(basic(EMAIL, TOKEN)))
                .willReturn(json(200, """
                        {"user": {"id": 35436, "url": "https://acme.zendesk.com/api/v2/users/35436.json",
                                  "name": "Ada Admin", "email": "admin@acme.example", "role": "admin",
                                  "active": true, "organization_id": null}}""")));
        zendesk.stubFor(WireMock.get(urlPathEqualTo("/api/v2/users/me.json"))
                .withHeader("Authorization", equalTo(basic(EMAIL, AGENT_TOKEN)))
                .willReturn(json(200, """
                        {"user": {"id": 35437, "name": "Sam Agent", "email": "admin@acme.example",
                                  "role": "agent", "active": true}}""")));

        zendesk.stubFor(export("/api/v2/incremental/organizations.json", "start_time", "0")
                .willReturn(json(200, """
                        {"organizations": [
                           {"id": 4001, "name": "Acme Rockets", "external_id": null,
                            "domain_names": ["acme.example"], "tags": [], "deleted_at": null,
                            "created_at": "2025-05-01T10:00:00Z", "updated_at": "2026-03-01T10:00:00Z"},
                           {"id": 4002, "name": "Beacon Labs", "external_id": "BL-1", "domain_names": [],
                            "created_at": "2025-05-01T10:00:00Z", "updated_at": "2026-03-01T11:00:00Z"},
                           {"id": 4003, "name": "Cobalt Freight", "external_id": null,
                            "domain_names": ["cobalt.example"],
                            "created_at": "2025-05-01T10:00:00Z", "updated_at": "2026-03-02T10:00:00Z"}],
                         "next_page": "https://acme.zendesk.com/api/v2/incremental/organizations.json?start_time=1772445600",
                         "count": 3, "end_time": 1772445600, "end_of_stream": true}""")));
        zendesk.stubFor(export("/api/v2/incremental/organizations.json", "start_time", "1772445600")
                .willReturn(json(200, """
                        {"organizations": [], "next_page": null, "count": 0, "end_time": 1772445600,
                         "end_of_stream": true}""")));

        zendesk.stubFor(export("/api/v2/incremental/users/cursor.json", "start_time", "0")
                .willReturn(json(200, """
                        {"users": [
                           {"id": 5001, "name": "Ada Buyer", "email": "ada@acme.example", "role": "end-user",
                            "organization_id": 4001, "active": true, "phone": null,
                            "created_at": "2025-06-01T10:00:00Z", "updated_at": "2026-03-01T10:00:00Z"},
                           {"id": 5002, "name": "Sam Agent", "email": "sam@vendor.example", "role": "agent",
                            "organization_id": null, "active": true,
                            "created_at": "2025-06-01T10:00:00Z", "updated_at": "2026-03-01T10:00:00Z"}],
                         "after_url": "https://acme.zendesk.com/api/v2/incremental/users/cursor.json?cursor=dXNlcnMx",
                         "after_cursor": "dXNlcnMx", "before_url": null, "before_cursor": null,
                         "end_of_stream": true}""")));
        zendesk.stubFor(export("/api/v2/incremental/users/cursor.json", "cursor", "dXNlcnMx")
                .willReturn(json(200, """
                        {"users": [], "after_cursor": "dXNlcnMx", "end_of_stream": true}""")));

        zendesk.stubFor(export("/api/v2/incremental/tickets/cursor.json", "start_time", "0")
                .withQueryParam("include", equalTo("metric_sets"))
                .willReturn(json(200, """
                        {"tickets": [
                           {"id": 7001, "subject": "Rocket export stalls", "status": "new", "priority": "high",
                            "organization_id": 4001, "requester_id": 5001, "tags": ["escalated", "export"],
                            "created_at": "2026-03-02T09:00:00Z", "updated_at": "2026-03-02T09:05:00Z",
                            "satisfaction_rating": {"score": "unoffered"}},
                           {"id": 7002, "subject": "Invoices missing", "status": "solved", "priority": "urgent",
                            "organization_id": 4003, "tags": [],
                            "created_at": "2026-03-02T09:00:00Z", "updated_at": "2026-03-02T13:00:00Z"},
                           {"id": 7003, "subject": "Spam", "status": "open", "priority": null,
                            "organization_id": 4003, "tags": [],
                            "created_at": "2026-03-02T10:00:00Z", "updated_at": "2026-03-02T10:00:00Z"},
                           {"id": 7004, "subject": "Bad date", "status": "open", "organization_id": 4001,
                            "created_at": "not a date", "updated_at": "2026-03-02T10:00:00Z"},
                           {"subject": "No id at all", "status": "open", "organization_id": 4001,
                            "created_at": "2026-03-02T10:00:00Z"},
                           {"id": 7005, "subject": "Walk-in question", "status": "new", "organization_id": null,
                            "created_at": "2026-03-02T11:00:00Z", "updated_at": "2026-03-02T11:00:00Z"}],
                         "metric_sets": [
                           {"id": 1, "ticket_id": 7002, "solved_at": "2026-03-02T13:00:00Z",
                            "reply_time_in_minutes": {"calendar": 30, "business": 30},
                            "full_resolution_time_in_minutes": {"calendar": 240, "business": 240}}],
                         "after_url": "https://acme.zendesk.com/api/v2/incremental/tickets/cursor.json?cursor=dGlja2V0czE%3D",
                         "after_cursor": "dGlja2V0czE=", "before_url": null, "before_cursor": null,
                         "end_of_stream": false}""")));
        zendesk.stubFor(export("/api/v2/incremental/tickets/cursor.json", "cursor", "dGlja2V0czE=")
                .inScenario("rate limited")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "1")
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": \"APIRateLimitExceeded\"}"))
                .willSetStateTo("waited"));
        zendesk.stubFor(export("/api/v2/incremental/tickets/cursor.json", "cursor", "dGlja2V0czE=")
                .inScenario("rate limited")
                .whenScenarioStateIs("waited")
                .willReturn(json(200, """
                        {"tickets": [
                           {"id": 7003, "status": "deleted", "organization_id": 4003,
                            "created_at": "2026-03-02T10:00:00Z", "updated_at": "2026-03-03T08:00:00Z"},
                           {"id": 7006, "subject": "Lab results late", "status": "pending", "priority": "normal",
                            "organization_id": 4002, "tags": [],
                            "created_at": "2026-03-03T09:00:00Z", "updated_at": "2026-03-03T10:00:00Z",
                            "satisfaction_rating": {"id": 9001, "score": "bad", "comment": "Too slow"}}],
                         "metric_sets": [],
                         "after_cursor": "dGlja2V0czI=", "end_of_stream": true}""")));
        zendesk.stubFor(export("/api/v2/incremental/tickets/cursor.json", "cursor", "dGlja2V0czI=")
                .willReturn(json(200, """
                        {"tickets": [], "metric_sets": [], "after_cursor": "dGlja2V0czI=", "end_of_stream": true}""")));

        zendesk.stubFor(export("/api/v2/satisfaction_ratings.json", "start_time", "0")
                .withQueryParam("score", equalTo("received"))
                .willReturn(json(200, """
                        {"satisfaction_ratings": [
                           {"id": 9001, "ticket_id": 7006, "score": "bad", "comment": "Too slow",
                            "assignee_id": 35436, "group_id": 1, "requester_id": 5001,
                            "created_at": "2026-03-03T10:00:00Z", "updated_at": "2026-03-03T10:00:00Z"},
                           {"id": 9002, "ticket_id": 7005, "score": "good", "comment": null,
                            "created_at": "2026-03-03T11:00:00Z", "updated_at": "2026-03-03T11:00:00Z"},
                           {"id": 9003, "ticket_id": 7999, "score": "good", "comment": null,
                            "created_at": "2026-03-03T12:00:00Z", "updated_at": "2026-03-03T12:00:00Z"}],
                         "meta": {"has_more": false, "after_cursor": "xyz", "before_cursor": null},
                         "links": {"next": null, "prev": null}}""")));
        zendesk.stubFor(export("/api/v2/satisfaction_ratings.json", "start_time", "1772539200")
                .willReturn(json(200, """
                        {"satisfaction_ratings": [], "meta": {"has_more": false}}""")));
    }

    @DynamicPropertySource
    static void zendeskApi(DynamicPropertyRegistry registry) {
        registry.add("steward.zendesk.api-url", () -> "http://127.0.0.1:" + zendesk.port());
    }

    @AfterAll
    static void stopZendesk() {
        zendesk.stop();
    }

    @Test
    void theFirstPullReadsEverythingAndTheNextAsksFromTheStoredCursors() throws Exception {
        String accounts = send(post("/api/v1/accounts/bulk?source=crm"), """
                        {"records": [{"externalId": "BL-1", "name": "Beacon Laboratories Inc."},
                                     {"externalId": "AR-9", "name": "Acme Rockets Ltd",
                                      "customFields": {"domain": "https://www.Acme.example/"}}]}""")
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        String beacon = JsonPath.read(accounts, "$.results[0].id");
        String acme = JsonPath.read(accounts, "$.results[1].id");

        send(post("/api/v1/zendesk/sources"), """
                        {"name": "zendesk-acme", "subdomain": "https://acme.zendesk.com/", "email": "%s",
                         "apiToken": "%s", "accountsSource": "crm", "everyMinutes": 30}""".formatted(EMAIL, TOKEN))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.subdomain", is("acme")))
                .andExpect(jsonPath("$.auth", is("token")))
                .andExpect(jsonPath("$.signedInAs", is("Ada Admin <admin@acme.example>")))
                .andExpect(jsonPath("$.escalationTag", is("escalated")))
                .andExpect(jsonPath("$.apiToken").doesNotExist());
        String stored = jdbc.sql("""
                        select c.secret from ingest_pull_connection c join ingest_source s on s.id = c.source_id
                        where s.name = 'zendesk-acme'""").query(String.class).single();
        assertThat(stored).startsWith("gcm1:").doesNotContain(TOKEN).doesNotContain("Good-0001");
        String settings = jdbc.sql("""
                        select c.settings::text from ingest_pull_connection c join ingest_source s on s.id = c.source_id
                        where s.name = 'zendesk-acme'""").query(String.class).single();
        assertThat(settings).doesNotContain(TOKEN);

        // Connecting starts the first pull.
        waitForRuns("zendesk-acme", 4);
        Map<String, Object> organizations = run("zendesk-acme", "organizations");
        assertThat(organizations)
                .containsEntry("state", "succeeded")
                .containsEntry("watermarkTo", "1772445600")
                .as("the first pull starts from the beginning")
                .doesNotContainKey("watermarkFrom");
        assertThat(counts(organizations))
                .containsEntry("rowsRead", 3)
                .containsEntry("created", 1)
                .containsEntry("updated", 2)
                .containsEntry("apiCalls", 1);
        Map<String, Object> users = run("zendesk-acme", "users");
        assertThat(counts(users))
                .containsEntry("rowsRead", 2)
                .containsEntry("created", 1)
                .containsEntry("skipped", 1);
        Map<String, Object> tickets = run("zendesk-acme", "tickets");
        assertThat(tickets).containsEntry("state", "partial").containsEntry("watermarkTo", "dGlja2V0czI=");
        assertThat(counts(tickets))
                .containsEntry("rowsRead", 8)
                .containsEntry("created", 4)
                .containsEntry("deleted", 1)
                .containsEntry("skipped", 1)
                .containsEntry("rejected", 2)
                .as("two pages, and the 429 before the second")
                .containsEntry("apiCalls", 3);
        List<Map<String, Object>> errors = (List<Map<String, Object>>) tickets.get("errors");
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0))
                .containsEntry("where", "ticket 7004")
                .containsEntry("field", "created_at")
                .containsEntry("value", "not a date");
        assertThat(errors.get(1))
                .containsEntry("where", "ticket 5 of page 1 (no id)")
                .containsEntry("field", "id");
        assertThat((String) errors.get(1).get("value")).contains("No id at all");
        Map<String, Object> ratings = run("zendesk-acme", "satisfaction_ratings");
        assertThat(ratings).containsEntry("state", "partial");
        assertThat(counts(ratings))
                .containsEntry("rowsRead", 3)
                .containsEntry("created", 1)
                .containsEntry("skipped", 1)
                .containsEntry("rejected", 1);

        // Linked accounts keep their names; the organization of no account is one now.
        mvc.perform(get("/api/v1/accounts/" + beacon)).andExpect(jsonPath("$.name", is("Beacon Laboratories Inc.")));
        mvc.perform(get("/api/v1/accounts/" + acme + "/contacts"))
                .andExpect(jsonPath("$.items[0].name", is("Ada Buyer")))
                .andExpect(jsonPath("$.items[0].email", is("ada@acme.example")));
        mvc.perform(get("/api/v1/accounts/" + acme + "/tickets"))
                .andExpect(jsonPath("$.items", hasSize(1)))
                .andExpect(jsonPath("$.items[0].externalId", is("7001")))
                .andExpect(jsonPath("$.items[0].priority", is("high")))
                .andExpect(jsonPath("$.items[0].status", is("open")))
                .andExpect(jsonPath("$.items[0].escalated", is(true)));
        mvc.perform(get("/api/v1/accounts/" + beacon + "/tickets"))
                .andExpect(jsonPath("$.items[0].externalId", is("7006")))
                .andExpect(jsonPath("$.items[0].status", is("pending")))
                .andExpect(jsonPath("$.items[0].csat", is(1)));
        mvc.perform(get("/api/v1/accounts/" + beacon + "/survey-responses"))
                .andExpect(jsonPath("$.items[0].kind", is("csat")))
                .andExpect(jsonPath("$.items[0].score", is(1)))
                .andExpect(jsonPath("$.items[0].comment", is("Too slow")));
        String cobalt = JsonPath.read(
                mvc.perform(get("/api/v1/accounts?q=Cobalt"))
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.items[0].id");
        mvc.perform(get("/api/v1/accounts/" + cobalt + "/tickets"))
                .andExpect(jsonPath("$.items", hasSize(1)))
                .andExpect(jsonPath("$.items[0].externalId", is("7002")))
                .andExpect(jsonPath("$.items[0].escalated", is(true)))
                .andExpect(jsonPath("$.items[0].firstResponseAt", is("2026-03-02T09:30:00Z")))
                .andExpect(jsonPath("$.items[0].resolvedAt", is("2026-03-02T13:00:00Z")));
        mvc.perform(get("/api/v1/zendesk/sources/zendesk-acme"))
                .andExpect(jsonPath("$.exports[*].object")
                        .value(containsInAnyOrder("organizations", "users", "tickets", "satisfaction_ratings")))
                .andExpect(jsonPath("$.exports[2].cursor", is("dGlja2V0czI=")));

        // The second pull asks each export from where the first stopped.
        mvc.perform(post("/api/v1/zendesk/sources/zendesk-acme/pulls").with(csrf()))
                .andExpect(status().isAccepted());
        mvc.perform(post("/api/v1/zendesk/sources/zendesk-acme/pulls").with(csrf()))
                .andExpect(status().isConflict());
        waitForRuns("zendesk-acme", 8);
        Map<String, Object> again = run("zendesk-acme", "tickets");
        assertThat(again)
                .containsEntry("state", "succeeded")
                .containsEntry("trigger", "manual")
                .containsEntry("watermarkFrom", "dGlja2V0czI=");
        assertThat(counts(again)).containsEntry("rowsRead", 0).containsEntry("apiCalls", 1);
        zendesk.verify(getRequestedFor(urlPathEqualTo("/api/v2/incremental/tickets/cursor.json"))
                .withQueryParam("cursor", equalTo("dGlja2V0czI=")));
        zendesk.verify(getRequestedFor(urlPathEqualTo("/api/v2/incremental/users/cursor.json"))
                .withQueryParam("cursor", equalTo("dXNlcnMx")));
        zendesk.verify(getRequestedFor(urlPathEqualTo("/api/v2/incremental/organizations.json"))
                .withQueryParam("start_time", equalTo("1772445600")));
        zendesk.verify(getRequestedFor(urlPathEqualTo("/api/v2/satisfaction_ratings.json"))
                .withQueryParam("start_time", equalTo("1772539200")));
        assertThat(counts(run("zendesk-acme", "organizations"))).containsEntry("unchanged", 0);
    }

    @Test
    void credentialsZendeskRefusesKeepNothing() throws Exception {
        send(post("/api/v1/zendesk/sources"), """
                        {"name": "zendesk-refused", "subdomain": "acme", "email": "%s",
                         "apiToken": "zd-token-Wrong"}""".formatted(EMAIL))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("apiToken")))
                .andExpect(jsonPath("$.errors[0].reason", is("Zendesk refused: Couldn't authenticate you")));
        send(post("/api/v1/zendesk/sources"), """
                        {"name": "zendesk-agent", "subdomain": "acme", "email": "%s",
                         "apiToken": "%s"}""".formatted(EMAIL, AGENT_TOKEN))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("email")))
                .andExpect(jsonPath(
                        "$.errors[0].reason",
                        is("Zendesk refused: Sam Agent is an agent; Zendesk's incremental exports need an"
                                + " administrator's credentials")));
        send(post("/api/v1/zendesk/sources"), """
                        {"name": "zendesk-nothing", "subdomain": "acme", "email": "%s"}""".formatted(EMAIL))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("apiToken")));
        mvc.perform(get("/api/v1/zendesk/sources/zendesk-refused")).andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/zendesk/sources/zendesk-agent")).andExpect(status().isNotFound());
        assertThat(jdbc.sql(
                                "select count(*) from ingest_source where name in ('zendesk-refused', 'zendesk-agent', 'zendesk-nothing')")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void aPullCutOffResumesAfterTheLastPageWritten() throws Exception {
        String crash = basic(EMAIL, "zd-token-Crash-0003");
        zendesk.stubFor(WireMock.get(urlPathEqualTo("/api/v2/users/me.json"))
                .withHeader("Authorization", equalTo(crash))
                .willReturn(json(200, """
                        {"user": {"id": 35438, "name": "Cy Admin", "email": "admin@acme.example", "role": "admin"}}""")));
        zendesk.stubFor(WireMock.get(urlPathEqualTo("/api/v2/incremental/organizations.json"))
                .withHeader("Authorization", equalTo(crash))
                .willReturn(json(200, """
                        {"organizations": [{"id": 4901, "name": "Dune Kites", "domain_names": [],
                                            "updated_at": "2026-03-01T10:00:00Z"}],
                         "end_time": 1772359200, "end_of_stream": true}""")));
        zendesk.stubFor(WireMock.get(urlPathEqualTo("/api/v2/incremental/users/cursor.json"))
                .withHeader("Authorization", equalTo(crash))
                .willReturn(json(200, """
                        {"users": [], "after_cursor": "dTk=", "end_of_stream": true}""")));
        zendesk.stubFor(WireMock.get(urlPathEqualTo("/api/v2/incremental/tickets/cursor.json"))
                .withHeader("Authorization", equalTo(crash))
                .withQueryParam("start_time", equalTo("0"))
                .willReturn(json(200, """
                        {"tickets": [{"id": 7901, "subject": "Kite string frays", "status": "open",
                                      "organization_id": 4901, "created_at": "2026-03-04T09:00:00Z"}],
                         "after_cursor": "Y3Jhc2gx", "end_of_stream": false}""")));
        // Zendesk fails on the second page, however often it is asked.
        zendesk.stubFor(WireMock.get(urlPathEqualTo("/api/v2/incremental/tickets/cursor.json"))
                .withHeader("Authorization", equalTo(crash))
                .withQueryParam("cursor", equalTo("Y3Jhc2gx"))
                .willReturn(json(503, "{\"error\": \"ServiceUnavailable\", \"description\": \"Try again later\"}")));
        send(post("/api/v1/zendesk/sources"), """
                        {"name": "zendesk-crash", "subdomain": "acme", "email": "%s",
                         "apiToken": "zd-token-Crash-0003"}""".formatted(EMAIL)).andExpect(status().isCreated());
        waitForRuns("zendesk-crash", 3);
        Map<String, Object> failed = run("zendesk-crash", "tickets");
        assertThat(failed)
                .containsEntry("state", "failed")
                .containsEntry("watermarkTo", "Y3Jhc2gx")
                .containsEntry(
                        "failure",
                        "ServiceUnavailable: Try again later; the next pull resumes after the last page written");
        assertThat(counts(failed))
                .containsEntry("created", 1)
                .as("page one, then the second page tried six times")
                .containsEntry("apiCalls", 7);
        assertThat(run("zendesk-crash", "satisfaction_ratings"))
                .as("a failed export stops the pull")
                .isNull();

        zendesk.stubFor(WireMock.get(urlPathEqualTo("/api/v2/incremental/tickets/cursor.json"))
                .withHeader("Authorization", equalTo(crash))
                .withQueryParam("cursor", equalTo("Y3Jhc2gx"))
                .willReturn(json(200, """
                        {"tickets": [{"id": 7902, "subject": "Tail torn", "status": "open",
                                      "organization_id": 4901, "created_at": "2026-03-05T09:00:00Z"}],
                         "after_cursor": "Y3Jhc2gy", "end_of_stream": true}""")));
        zendesk.stubFor(WireMock.get(urlPathEqualTo("/api/v2/satisfaction_ratings.json"))
                .withHeader("Authorization", equalTo(crash))
                .willReturn(json(200, "{\"satisfaction_ratings\": [], \"meta\": {\"has_more\": false}}")));
        mvc.perform(post("/api/v1/zendesk/sources/zendesk-crash/pulls").with(csrf()))
                .andExpect(status().isAccepted());
        waitForRuns("zendesk-crash", 7);
        Map<String, Object> resumed = run("zendesk-crash", "tickets");
        assertThat(resumed)
                .containsEntry("state", "succeeded")
                .containsEntry("watermarkFrom", "Y3Jhc2gx")
                .containsEntry("watermarkTo", "Y3Jhc2gy");
        assertThat(counts(resumed)).containsEntry("rowsRead", 1).containsEntry("created", 1);
        assertThat(run("zendesk-crash", "satisfaction_ratings")).containsEntry("state", "succeeded");
    }

    private void waitForRuns(String source, int count) {
        Awaitility.await("the pull of " + source + " ends")
                .pollInSameThread()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    String body = mvc.perform(get("/api/v1/zendesk/sources/" + source + "/runs"))
                            .andReturn()
                            .getResponse()
                            .getContentAsString();
                    List<String> states = JsonPath.read(body, "$[*].state");
                    return states.size() == count && !states.contains("running");
                });
    }

    /** The latest run of an export. */
    private Map<String, Object> run(String source, String export) throws Exception {
        String body = mvc.perform(get("/api/v1/zendesk/sources/" + source + "/runs"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        List<Map<String, Object>> runs = JsonPath.read(body, "$[?(@.feed == '" + export + "')]");
        return runs.isEmpty() ? null : runs.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> counts(Map<String, Object> run) {
        return (Map<String, Object>) run.get("counts");
    }

    private ResultActions send(
            org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder request, String body)
            throws Exception {
        return mvc.perform(
                request.with(csrf()).contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private static MappingBuilder export(String path, String parameter, String value) {
        return WireMock.get(urlPathEqualTo(path)).withQueryParam(parameter, equalTo(value));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }

    private static String basic(String email, String token) {
        return "Basic "
                + Base64.getEncoder().encodeToString((email + "/token:" + token).getBytes(StandardCharsets.UTF_8));
    }
}
