package dev.steward.ingest.freshdesk;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
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
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * A Freshdesk source through the API, against a local server answering with Freshdesk's documented shapes (API v2):
 * the first pull pages through companies (linked to the accounts Steward had by the custom field crm_id and by domain,
 * or created; a malformed one rejected), contacts (one of no company skipped), tickets with their stats (oldest change
 * first; the second page after a 429 waited out for its Retry-After; a malformed one rejected, one of no company
 * skipped) and satisfaction ratings (on Freshdesk's scale, as CSAT; one of a ticket Steward does not have rejected),
 * each while the Link header names a next page. The second pull asks each feed from its watermark: contacts and
 * ratings have no change that day; the tickets run past the most pages Freshdesk lists from one updated_since and go on
 * from the latest updated_at, and a ticket marked spam is removed. A key Freshdesk refuses keeps nothing; the key is
 * stored sealed and every request carries it as Basic authentication with X as the password; a connection changes its
 * plan, schedule and fields, and a new key is tried before it replaces the old.
 */
@StewardTest
@WithMockUser(roles = "ADMIN")
@TestPropertySource(
        properties = {
            "steward.secrets.key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
            "steward.freshdesk.share-of-plan=1",
            "steward.freshdesk.max-pages=2",
            "steward.freshdesk.backoff=50ms",
            "steward.freshdesk.max-backoff=200ms"
        })
class FreshdeskPullApiTests {

    static final String KEY = "abcdefghij1234567890";

    static final String BASIC =
            "Basic " + Base64.getEncoder().encodeToString((KEY + ":X").getBytes(StandardCharsets.UTF_8));

    static final String EVERYTHING = "1970-01-01T00:00:00Z";

    static WireMockServer freshdesk;

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @BeforeAll
    static void startFreshdesk() {
        freshdesk = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        freshdesk.start();
        freshdesk.stubFor(WireMock.get(urlPathEqualTo("/api/v2/agents/me")).willReturn(json(401, """
                        {"code": "invalid_credentials", "message": "You have to be logged in to perform this action."}""")));
        freshdesk.stubFor(WireMock.get(urlPathEqualTo("/api/v2/agents/me"))
                .withHeader("Authorization", equalTo(BASIC))
                .willReturn(json(200, """
                        {"available": true, "occasional": false, "id": 19000000001, "signature": null,
                         "ticket_scope": 1, "created_at": "2025-01-10T09:00:00Z", "updated_at": "2026-01-10T09:00:00Z",
                         "type": "support_agent",
                         "contact": {"active": true, "email": "ada@acme.example", "job_title": "Support lead",
                                     "language": "en", "last_login_at": "2026-03-17T08:00:00Z", "mobile": null,
                                     "name": "Ada Agent", "phone": null, "time_zone": "London",
                                     "created_at": "2025-01-10T09:00:00Z", "updated_at": "2026-01-10T09:00:00Z"}}""")));

        // Companies: two pages, the Link header naming the second.
        freshdesk.stubFor(
                list("/api/v2/companies", 1).willReturn(page(true, "/api/v2/companies?per_page=100&page=2", """
                        [{"id": 42, "name": "Beacon Labs", "description": null, "note": null, "domains": [],
                          "custom_fields": {"crm_id": "CRM-7"}, "health_score": null, "account_tier": "Premium",
                          "created_at": "2025-06-01T10:00:00Z", "updated_at": "2026-01-01T10:00:00Z"},
                         {"id": 43, "name": "Rocket", "domains": ["Rocket.example"], "custom_fields": {"crm_id": null},
                          "created_at": "2025-06-01T10:00:00Z", "updated_at": "2026-01-01T10:00:00Z"}]""")));
        freshdesk.stubFor(list("/api/v2/companies", 2).willReturn(page(false, null, """
                        [{"id": 44, "name": "Cobalt Freight", "domains": ["cobalt.example"], "custom_fields": {},
                          "created_at": "2025-06-01T10:00:00Z", "updated_at": "2026-01-01T10:00:00Z"},
                         {"id": 45, "name": "Dune Kites", "domains": [], "custom_fields": {},
                          "created_at": "last Tuesday", "updated_at": "2026-01-01T10:00:00Z"}]""")));

        // Contacts: everything the first time, two pages; then from the watermark, a day with no change.
        freshdesk.stubFor(list("/api/v2/contacts", 1)
                .withQueryParam("_updated_since", absent())
                .willReturn(page(true, "/api/v2/contacts?per_page=100&page=2", """
                        [{"id": 1001, "name": "Ada Buyer", "email": "ada@beacon.example", "phone": null,
                          "mobile": null, "company_id": 42, "active": true, "view_all_tickets": false,
                          "created_at": "2025-12-01T10:00:00Z", "updated_at": "2026-01-01T10:00:00Z"},
                         {"id": 1002, "name": "Walk In", "email": "walk@in.example", "company_id": null,
                          "active": false, "created_at": "2025-12-01T10:00:00Z",
                          "updated_at": "2026-01-01T11:00:00Z"}]""")));
        freshdesk.stubFor(list("/api/v2/contacts", 2)
                .withQueryParam("_updated_since", absent())
                .willReturn(page(false, null, """
                        [{"id": 1003, "name": "Cy Freight", "email": "cy@cobalt.example", "company_id": 44,
                          "active": true, "created_at": "2025-12-02T10:00:00Z",
                          "updated_at": "2026-01-01T12:00:00Z"}]""")));
        freshdesk.stubFor(list("/api/v2/contacts", 1)
                .withQueryParam("_updated_since", equalTo("2026-01-01T12:00:00Z"))
                .willReturn(page(false, null, "[]")));

        // Tickets: oldest change first, with their stats; a 429 before the second page.
        freshdesk.stubFor(tickets(EVERYTHING, 1).willReturn(page(true, "/api/v2/tickets?page=2", """
                        [{"id": 20, "subject": "Exports stall at 90%", "status": 4, "priority": 3, "source": 1,
                          "company_id": 42, "requester_id": 1001, "is_escalated": false, "fr_escalated": false,
                          "spam": false, "tags": [], "type": "Problem", "due_by": "2026-01-04T10:00:00Z",
                          "fr_due_by": "2026-01-01T12:00:00Z",
                          "created_at": "2026-01-01T10:00:00Z", "updated_at": "2026-01-02T09:00:00Z",
                          "stats": {"agent_responded_at": "2026-01-01T12:00:00Z",
                                    "requester_responded_at": null, "first_responded_at": "2026-01-01T10:30:00Z",
                                    "status_updated_at": "2026-01-01T16:00:00Z", "reopened_at": null,
                                    "resolved_at": "2026-01-01T16:00:00Z", "closed_at": null,
                                    "pending_since": null}},
                         {"id": 21, "subject": "Hello", "status": 2, "priority": 1, "company_id": null,
                          "requester_id": 1002, "created_at": "2026-01-02T10:00:00Z",
                          "updated_at": "2026-01-02T10:00:00Z", "stats": {}},
                         {"id": 22, "subject": "Odd", "status": 2, "priority": 9, "company_id": 42,
                          "created_at": "2026-01-02T11:00:00Z", "updated_at": "2026-01-02T11:00:00Z",
                          "stats": {}}]""")));
        freshdesk.stubFor(tickets(EVERYTHING, 2)
                .inScenario("rate limited")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "1")
                        .withHeader("X-Ratelimit-Total", "200")
                        .withHeader("X-Ratelimit-Remaining", "0")
                        .withHeader("X-Ratelimit-Used-CurrentRequest", "3")
                        .withHeader("Content-Type", "application/json")
                        .withBody("""
                                {"code": "rate_limit_exceeded", "message": "You have exceeded the limit of requests per minute"}"""))
                .willSetStateTo("waited"));
        freshdesk.stubFor(tickets(EVERYTHING, 2)
                .inScenario("rate limited")
                .whenScenarioStateIs("waited")
                .willReturn(page(false, null, """
                        [{"id": 23, "subject": "Invoices missing", "status": 2, "priority": 4, "company_id": 44,
                          "is_escalated": false, "fr_escalated": false, "spam": false, "tags": [],
                          "created_at": "2026-01-03T09:00:00Z", "updated_at": "2026-01-03T10:00:00Z",
                          "stats": {"first_responded_at": null, "resolved_at": null, "closed_at": null}},
                         {"id": 24, "subject": "Refund for March", "status": 3, "priority": 2, "company_id": 42,
                          "is_escalated": false, "fr_escalated": false, "spam": false,
                          "tags": ["billing", "escalated"],
                          "created_at": "2026-01-03T09:00:00Z", "updated_at": "2026-01-04T10:00:00Z",
                          "stats": {"first_responded_at": "2026-01-03T09:45:00Z"}}]"""))
                .willSetStateTo(Scenario.STARTED));
        // The second pull: from the watermark, past the most pages Freshdesk lists (two here).
        freshdesk.stubFor(tickets("2026-01-04T10:00:00Z", 1).willReturn(page(true, "/api/v2/tickets?page=2", """
                        [{"id": 24, "subject": "Refund for March", "status": 4, "priority": 2, "company_id": 42,
                          "tags": ["billing", "escalated"], "created_at": "2026-01-03T09:00:00Z",
                          "updated_at": "2026-01-05T10:00:00Z",
                          "stats": {"first_responded_at": "2026-01-03T09:45:00Z",
                                    "resolved_at": "2026-01-05T10:00:00Z"}}]""")));
        freshdesk.stubFor(tickets("2026-01-04T10:00:00Z", 2).willReturn(page(true, "/api/v2/tickets?page=3", """
                        [{"id": 23, "subject": "Invoices missing", "status": 2, "priority": 4, "company_id": 44,
                          "spam": true, "created_at": "2026-01-03T09:00:00Z", "updated_at": "2026-01-06T10:00:00Z",
                          "stats": {}}]""")));
        freshdesk.stubFor(tickets("2026-01-06T10:00:00Z", 1).willReturn(page(false, null, "[]")));

        // Satisfaction ratings: created since; the second pull finds none.
        freshdesk.stubFor(ratings(EVERYTHING).willReturn(page(false, null, """
                        [{"id": 9001, "survey_id": 1, "user_id": 1001, "agent_id": 19000000001, "group_id": 3,
                          "ticket_id": 20, "feedback": "Quick, thanks", "ratings": {"default_question": 103},
                          "created_at": "2026-01-02T08:00:00Z", "updated_at": "2026-01-02T08:00:00Z"},
                         {"id": 9002, "survey_id": 1, "user_id": 1002, "ticket_id": 21, "feedback": null,
                          "ratings": {"default_question": -103}, "created_at": "2026-01-02T11:00:00Z",
                          "updated_at": "2026-01-02T11:00:00Z"},
                         {"id": 9003, "survey_id": 1, "ticket_id": 999, "ratings": {"default_question": 100},
                          "created_at": "2026-01-03T11:00:00Z", "updated_at": "2026-01-03T11:00:00Z"},
                         {"id": 9004, "survey_id": 1, "ticket_id": 24, "ratings": {"default_question": 3},
                          "created_at": "2026-01-04T11:00:00Z", "updated_at": "2026-01-04T11:00:00Z"}]""")));
        freshdesk.stubFor(ratings("2026-01-04T11:00:00Z").willReturn(page(false, null, "[]")));
    }

    @DynamicPropertySource
    static void freshdeskApi(DynamicPropertyRegistry registry) {
        registry.add("steward.freshdesk.api-url", () -> "http://127.0.0.1:" + freshdesk.port());
    }

    @AfterAll
    static void stopFreshdesk() {
        freshdesk.stop();
    }

    @Test
    void theFirstPullReadsEverythingAndTheNextGoesOnFromTheWatermarks() throws Exception {
        String accounts = send(post("/api/v1/accounts/bulk?source=crm"), """
                        {"records": [{"externalId": "CRM-7", "name": "Beacon Laboratories Inc."},
                                     {"externalId": "RK-9", "name": "Rocket Ltd",
                                      "customFields": {"domain": "rocket.example"}}]}""")
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        String beacon = JsonPath.read(accounts, "$.results[0].id");
        String rocket = JsonPath.read(accounts, "$.results[1].id");

        send(post("/api/v1/freshdesk/sources"), """
                        {"name": "freshdesk-acme", "domain": "https://Acme.freshdesk.com/", "plan": "Pro",
                         "apiKey": "%s", "accountsSource": "crm", "externalIdField": "crm_id", "everyMinutes": 30}""".formatted(KEY))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.domain", is("acme")))
                .andExpect(jsonPath("$.apiHost", is("acme.freshdesk.com")))
                .andExpect(jsonPath("$.plan", is("pro")))
                .andExpect(jsonPath("$.signedInAs", is("Ada Agent <ada@acme.example>")))
                .andExpect(jsonPath("$.externalIdField", is("crm_id")))
                .andExpect(jsonPath("$.apiKey").doesNotExist());
        String stored = jdbc.sql("""
                        select c.secret from ingest_pull_connection c join ingest_source s on s.id = c.source_id
                        where s.name = 'freshdesk-acme'""").query(String.class).single();
        assertThat(stored).startsWith("gcm1:").doesNotContain(KEY);

        waitForRuns("freshdesk-acme", 4);
        Map<String, Object> companies = run("freshdesk-acme", "companies");
        assertThat(companies).containsEntry("state", "partial");
        assertThat(counts(companies))
                .containsEntry("rowsRead", 4)
                .as("Beacon by crm_id, Rocket by domain")
                .containsEntry("updated", 2)
                .containsEntry("created", 1)
                .containsEntry("rejected", 1)
                .containsEntry("apiCalls", 2);
        assertThat(errors(companies).get(0))
                .containsEntry("where", "company 45")
                .containsEntry("field", "created_at")
                .containsEntry("value", "last Tuesday");
        Map<String, Object> contacts = run("freshdesk-acme", "contacts");
        assertThat(contacts).containsEntry("state", "succeeded").containsEntry("watermarkTo", "2026-01-01T12:00:00Z");
        assertThat(counts(contacts))
                .containsEntry("rowsRead", 3)
                .containsEntry("created", 2)
                .as("a contact of no company")
                .containsEntry("skipped", 1)
                .containsEntry("apiCalls", 2);
        Map<String, Object> tickets = run("freshdesk-acme", "tickets");
        assertThat(tickets).containsEntry("state", "partial").containsEntry("watermarkTo", "2026-01-04T10:00:00Z");
        assertThat(counts(tickets))
                .containsEntry("rowsRead", 5)
                .containsEntry("created", 3)
                .containsEntry("rejected", 1)
                .containsEntry("skipped", 1)
                .as("two pages, and the 429 before the second")
                .containsEntry("apiCalls", 3);
        assertThat(errors(tickets).get(0))
                .containsEntry("where", "ticket 22")
                .containsEntry("field", "priority")
                .containsEntry("value", "9")
                .containsEntry("reason", "is not a Freshdesk priority (1 Low, 2 Medium, 3 High, 4 Urgent)");
        Map<String, Object> ratings = run("freshdesk-acme", "satisfaction_ratings");
        assertThat(ratings).containsEntry("state", "partial").containsEntry("watermarkTo", "2026-01-04T11:00:00Z");
        assertThat(counts(ratings))
                .containsEntry("rowsRead", 4)
                .containsEntry("created", 1)
                .as("a rating of a ticket of no company")
                .containsEntry("skipped", 1)
                .containsEntry("rejected", 2);
        assertThat(errors(ratings))
                .extracting(e -> e.get("where"))
                .containsExactlyInAnyOrder("satisfaction rating 9003", "satisfaction rating 9004");

        // The source page's Received card counts what the runs stored (created or updated) and rejected.
        assertThat(sum("freshdesk-acme", "created", "updated")).isEqualTo(9);
        assertThat(sum("freshdesk-acme", "rejected")).isEqualTo(4);
        assertReceivedCardMatchesTheRuns("freshdesk-acme");
        assertThat(mvc.perform(get("/sources/freshdesk-acme"))
                        .andReturn()
                        .getResponse()
                        .getContentAsString())
                .contains("company 45")
                .doesNotContain("Nothing rejected.");

        // Linked accounts keep their names; the company of no account is one now.
        mvc.perform(get("/api/v1/accounts/" + beacon)).andExpect(jsonPath("$.name", is("Beacon Laboratories Inc.")));
        mvc.perform(get("/api/v1/accounts/" + beacon + "/contacts"))
                .andExpect(jsonPath("$.items", hasSize(1)))
                .andExpect(jsonPath("$.items[0].name", is("Ada Buyer")));
        String beaconTickets = mvc.perform(get("/api/v1/accounts/" + beacon + "/tickets"))
                .andExpect(jsonPath("$.items[*].externalId", containsInAnyOrder("20", "24")))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(ticket(beaconTickets, "20"))
                .containsEntry("subject", "Exports stall at 90%")
                .containsEntry("status", "solved")
                .containsEntry("priority", "high")
                .containsEntry("escalated", false)
                .containsEntry("firstResponseAt", "2026-01-01T10:30:00Z")
                .containsEntry("resolvedAt", "2026-01-01T16:00:00Z");
        assertThat(ticket(beaconTickets, "24"))
                .containsEntry("status", "pending")
                .containsEntry("priority", "normal")
                .containsEntry("escalated", true);
        mvc.perform(get("/api/v1/accounts/" + beacon + "/survey-responses"))
                .andExpect(jsonPath("$.items", hasSize(1)))
                .andExpect(jsonPath("$.items[0].kind", is("csat")))
                .andExpect(jsonPath("$.items[0].score", is(5)))
                .andExpect(jsonPath("$.items[0].comment", is("Quick, thanks")));
        mvc.perform(get("/api/v1/accounts/" + rocket + "/contacts")).andExpect(jsonPath("$.items", hasSize(0)));
        String cobalt = JsonPath.read(
                mvc.perform(get("/api/v1/accounts?q=Cobalt"))
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.items[0].id");
        mvc.perform(get("/api/v1/accounts/" + cobalt + "/tickets"))
                .andExpect(jsonPath("$.items", hasSize(1)))
                .andExpect(jsonPath("$.items[0].externalId", is("23")))
                .andExpect(jsonPath("$.items[0].priority", is("urgent")))
                .andExpect(jsonPath("$.items[0].escalated", is(true)));
        mvc.perform(get("/api/v1/freshdesk/sources/freshdesk-acme"))
                .andExpect(jsonPath("$.feeds[*].object")
                        .value(containsInAnyOrder("companies", "contacts", "tickets", "satisfaction_ratings")))
                .andExpect(jsonPath("$.feeds[2].cursor", is("2026-01-04T10:00:00Z")));
        freshdesk.verify(getRequestedFor(urlPathEqualTo("/api/v2/tickets"))
                .withHeader("Authorization", equalTo(BASIC))
                .withQueryParam("include", equalTo("stats"))
                .withQueryParam("order_by", equalTo("updated_at"))
                .withQueryParam("order_type", equalTo("asc"))
                .withQueryParam("per_page", equalTo("100")));

        // The second pull goes on from each feed's watermark.
        mvc.perform(post("/api/v1/freshdesk/sources/freshdesk-acme/pulls").with(csrf()))
                .andExpect(status().isAccepted());
        mvc.perform(post("/api/v1/freshdesk/sources/freshdesk-acme/pulls").with(csrf()))
                .andExpect(status().isConflict());
        waitForRuns("freshdesk-acme", 8);
        Map<String, Object> noChange = run("freshdesk-acme", "contacts");
        assertThat(noChange)
                .as("a day with no change: nothing read, the watermark kept")
                .containsEntry("state", "succeeded")
                .containsEntry("trigger", "manual")
                .containsEntry("watermarkFrom", "2026-01-01T12:00:00Z")
                .containsEntry("watermarkTo", "2026-01-01T12:00:00Z");
        assertThat(counts(noChange)).containsEntry("rowsRead", 0).containsEntry("apiCalls", 1);
        Map<String, Object> again = run("freshdesk-acme", "tickets");
        assertThat(again)
                .containsEntry("state", "succeeded")
                .containsEntry("watermarkFrom", "2026-01-04T10:00:00Z")
                .containsEntry("watermarkTo", "2026-01-06T10:00:00Z");
        assertThat(counts(again))
                .containsEntry("rowsRead", 2)
                .containsEntry("updated", 1)
                .as("marked spam")
                .containsEntry("deleted", 1)
                .as("two pages, then the list again from the latest updated_at")
                .containsEntry("apiCalls", 3);
        freshdesk.verify(getRequestedFor(urlPathEqualTo("/api/v2/tickets"))
                .withQueryParam("updated_since", equalTo("2026-01-06T10:00:00Z"))
                .withQueryParam("page", equalTo("1")));
        mvc.perform(get("/api/v1/accounts/" + cobalt + "/tickets")).andExpect(jsonPath("$.items", hasSize(0)));
        mvc.perform(get("/api/v1/accounts/" + beacon + "/tickets"))
                .andExpect(jsonPath("$.items[?(@.externalId == '24')].status", containsInAnyOrder("solved")));
        assertThat(counts(run("freshdesk-acme", "satisfaction_ratings"))).containsEntry("rowsRead", 0);
        assertThat(counts(run("freshdesk-acme", "companies")))
                .as("companies are read in full each time; linked and created ones are left as they are")
                .containsEntry("unchanged", 3)
                .containsEntry("rejected", 1);
        // Records read again that change nothing are not stored again.
        assertThat(sum("freshdesk-acme", "created", "updated")).isEqualTo(10);
        assertThat(sum("freshdesk-acme", "rejected")).isEqualTo(5);
        assertReceivedCardMatchesTheRuns("freshdesk-acme");
    }

    @Test
    void aKeyFreshdeskRefusesKeepsNothing() throws Exception {
        send(post("/api/v1/freshdesk/sources"), """
                        {"name": "freshdesk-refused", "domain": "acme", "apiKey": "wrongkey"}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("apiKey")))
                .andExpect(jsonPath(
                        "$.errors[0].reason",
                        is("Freshdesk refused: You have to be logged in to perform this action.")));
        send(post("/api/v1/freshdesk/sources"), """
                        {"name": "freshdesk-nowhere", "apiKey": "%s"}""".formatted(KEY))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("domain")));
        send(post("/api/v1/freshdesk/sources"), """
                        {"name": "freshdesk-bad-domain", "domain": "acme corp.freshdesk.com", "apiKey": "%s"}""".formatted(KEY))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("domain")));
        send(post("/api/v1/freshdesk/sources"), """
                        {"name": "freshdesk-platinum", "domain": "acme", "plan": "platinum", "apiKey": "%s"}""".formatted(KEY))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("plan")));
        mvc.perform(get("/api/v1/freshdesk/sources/freshdesk-refused")).andExpect(status().isNotFound());
        assertThat(jdbc.sql(
                                "select count(*) from ingest_source where name like 'freshdesk-%' and name not in ('freshdesk-acme', 'freshdesk-change')")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void aConnectionChangesItsPlanScheduleAndFieldsAndANewKeyIsTriedFirst() throws Exception {
        send(post("/api/v1/freshdesk/sources"), """
                        {"name": "freshdesk-change", "domain": "acme", "apiKey": "%s", "accountsSource": "crm",
                         "externalIdField": "crm_id", "paused": true}""".formatted(KEY))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.plan", is("growth")))
                .andExpect(jsonPath("$.paused", is(true)))
                .andExpect(jsonPath("$.everyMinutes", is(60)));
        String sealed = secret("freshdesk-change");
        send(patch("/api/v1/freshdesk/sources/freshdesk-change"), """
                        {"plan": "enterprise", "externalIdField": "", "everyMinutes": 120}""")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.plan", is("enterprise")))
                .andExpect(jsonPath("$.externalIdField").doesNotExist())
                .andExpect(jsonPath("$.accountsSource", is("crm")))
                .andExpect(jsonPath("$.everyMinutes", is(120)))
                .andExpect(jsonPath("$.paused", is(true)));
        send(patch("/api/v1/freshdesk/sources/freshdesk-change"), """
                        {"apiKey": "wrongkey"}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("apiKey")));
        assertThat(secret("freshdesk-change"))
                .as("a refused key changes nothing")
                .isEqualTo(sealed);
        mvc.perform(get("/api/v1/freshdesk/sources/freshdesk-change/runs")).andExpect(jsonPath("$", hasSize(0)));
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
                    String body = mvc.perform(get("/api/v1/freshdesk/sources/" + source + "/runs"))
                            .andReturn()
                            .getResponse()
                            .getContentAsString();
                    List<String> states = JsonPath.read(body, "$[*].state");
                    return states.size() == count && !states.contains("running");
                });
    }

    /** The latest run of a feed. */
    private Map<String, Object> run(String source, String feed) throws Exception {
        String body = mvc.perform(get("/api/v1/freshdesk/sources/" + source + "/runs"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        List<Map<String, Object>> runs = JsonPath.read(body, "$[?(@.feed == '" + feed + "')]");
        return runs.isEmpty() ? null : runs.get(0);
    }

    private static Map<String, Object> ticket(String tickets, String externalId) {
        List<Map<String, Object>> found = JsonPath.read(tickets, "$.items[?(@.externalId == '" + externalId + "')]");
        assertThat(found).as("ticket " + externalId).hasSize(1);
        return found.get(0);
    }

    /** The sum of counts over every run of a source. */
    private long sum(String source, String... counts) throws Exception {
        String body = mvc.perform(get("/api/v1/freshdesk/sources/" + source + "/runs"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        long sum = 0;
        for (String count : counts) {
            List<Number> values = JsonPath.read(body, "$[*].counts." + count);
            sum += values.stream().mapToLong(Number::longValue).sum();
        }
        return sum;
    }

    /** The Received card of the source's page says what its runs stored (created or updated) and rejected. */
    private void assertReceivedCardMatchesTheRuns(String source) throws Exception {
        String page = mvc.perform(get("/sources/" + source))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(testId(page, "accepted")).as("stored").isEqualTo(Long.toString(sum(source, "created", "updated")));
        assertThat(testId(page, "rejected")).as("rejected").isEqualTo(Long.toString(sum(source, "rejected")));
    }

    /** The text of the element of a page with {@code data-testid} {@code id}. */
    private static String testId(String page, String id) {
        Matcher m = Pattern.compile("data-testid=\"" + id + "\"[^>]*>([^<]*)<").matcher(page);
        assertThat(m.find()).as("an element with data-testid " + id).isTrue();
        return m.group(1).strip();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> counts(Map<String, Object> run) {
        return (Map<String, Object>) run.get("counts");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> errors(Map<String, Object> run) {
        return (List<Map<String, Object>>) run.get("errors");
    }

    private ResultActions send(MockHttpServletRequestBuilder request, String body) throws Exception {
        return mvc.perform(
                request.with(csrf()).contentType(MediaType.APPLICATION_JSON).content(body));
    }

    /** One page of a list, as Freshdesk asks for it: {@code per_page} and {@code page}, with its key. */
    static MappingBuilder list(String path, int page) {
        return WireMock.get(urlPathEqualTo(path))
                .withHeader("Authorization", equalTo(BASIC))
                .withQueryParam("per_page", equalTo("100"))
                .withQueryParam("page", equalTo(Integer.toString(page)));
    }

    static MappingBuilder tickets(String updatedSince, int page) {
        return list("/api/v2/tickets", page)
                .withQueryParam("updated_since", equalTo(updatedSince))
                .withQueryParam("order_by", equalTo("updated_at"))
                .withQueryParam("order_type", equalTo("asc"))
                .withQueryParam("include", equalTo("stats"));
    }

    static MappingBuilder ratings(String createdSince) {
        return list("/api/v2/surveys/satisfaction_ratings", 1).withQueryParam("created_since", equalTo(createdSince));
    }

    /** A page of a list: a JSON array, and while more pages follow a Link header naming the next. */
    static ResponseDefinitionBuilder page(boolean more, String next, String body) {
        ResponseDefinitionBuilder page = json(200, body)
                .withHeader("X-Ratelimit-Total", "400")
                .withHeader("X-Ratelimit-Remaining", "398")
                .withHeader("X-Ratelimit-Used-CurrentRequest", "1");
        return more ? page.withHeader("Link", "<https://acme.freshdesk.com" + next + ">; rel=\"next\"") : page;
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }
}
