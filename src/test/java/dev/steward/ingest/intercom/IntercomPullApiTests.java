package dev.steward.ingest.intercom;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
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
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
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
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * An Intercom source through the API, against a local server answering with Intercom's documented shapes (API 2.11):
 * the first pull scrolls the companies to their empty last page (linked to the accounts Steward had by company_id and
 * by website domain, or created; a malformed one rejected, a deleted one skipped), lists the contacts over two pages,
 * searches the conversations over two pages (the second after a 429 waited out for its Retry-After; a malformed one
 * rejected, the rest stored with state, priority, first response, close and rating) and the tickets. The second pull searches from
 * each feed's watermark and removes a conversation Intercom deleted. A token Intercom refuses keeps nothing; the token
 * is stored sealed and every request carries it with the Intercom-Version.
 */
@StewardTest
@WithMockUser(roles = "ADMIN")
@TestPropertySource(
        properties = {
            "steward.secrets.key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
            "steward.intercom.calls-per-minute=6000",
            "steward.intercom.backoff=50ms",
            "steward.intercom.max-backoff=200ms"
        })
class IntercomPullApiTests {

    static final String TOKEN = "dG9rOmFjbWUtZ29vZA==";

    static WireMockServer intercom;

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @BeforeAll
    static void startIntercom() {
        intercom = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        intercom.start();
        intercom.stubFor(WireMock.get(urlPathEqualTo("/me")).willReturn(json(401, """
                        {"type": "error.list", "request_id": "000on8ht5u4rlfd9n3e0",
                         "errors": [{"code": "unauthorized", "message": "Access Token Invalid"}]}""")));
        intercom.stubFor(WireMock.get(urlPathEqualTo("/me"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Intercom-Version", equalTo("2.11"))
                .willReturn(json(200, """
                        {"type": "admin", "id": "991267460", "email": "ada@acme.example", "name": "Ada Admin",
                         "email_verified": true,
                         "app": {"type": "app", "id_code": "this_is_an_id", "name": "Acme Support",
                                 "created_at": 1734537243, "secure": false, "identity_verification": false,
                                 "timezone": "America/Los_Angeles", "region": "US"},
                         "has_inbox_seat": true}""")));

        // Companies: the scroll, to its empty last page.
        intercom.stubFor(WireMock.get(urlPathEqualTo("/companies/scroll"))
                .withQueryParam("scroll_param", absent())
                .willReturn(json(200, """
                        {"type": "list", "data": [
                           {"type": "company", "id": "6762f0971bb69f9f2193bb01", "company_id": "CRM-7",
                            "name": "Beacon Labs", "website": null, "created_at": 1734537367,
                            "updated_at": 1734537367, "user_count": 1},
                           {"type": "company", "id": "6762f0971bb69f9f2193bb02", "company_id": "rocket-1",
                            "name": "Rocket", "website": "https://www.Rocket.example/about",
                            "created_at": 1734537367, "updated_at": 1734537368},
                           {"type": "company", "id": "6762f0971bb69f9f2193bb03", "company_id": "cobalt-1",
                            "name": "Cobalt Freight", "website": null,
                            "created_at": 1734537367, "updated_at": 1734537369}],
                         "pages": null, "total_count": null, "scroll_param": "69352cd2-ab5b-42ac"}""")));
        intercom.stubFor(WireMock.get(urlPathEqualTo("/companies/scroll"))
                .withQueryParam("scroll_param", equalTo("69352cd2-ab5b-42ac"))
                .inScenario("scroll")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(200, """
                        {"type": "list", "data": [
                           {"type": "company", "id": "6762f0971bb69f9f2193bb04", "name": "Dune Kites",
                            "created_at": "last Tuesday", "updated_at": 1734537370},
                           {"id": "6762f0881bb69f9f2193bb09", "object": "company", "deleted": true}],
                         "pages": null, "total_count": null, "scroll_param": "69352cd2-ab5b-42ac"}"""))
                .willSetStateTo("end"));
        intercom.stubFor(WireMock.get(urlPathEqualTo("/companies/scroll"))
                .withQueryParam("scroll_param", equalTo("69352cd2-ab5b-42ac"))
                .inScenario("scroll")
                .whenScenarioStateIs("end")
                .willReturn(json(200, """
                        {"type": "list", "data": [], "pages": null, "total_count": null,
                         "scroll_param": "69352cd2-ab5b-42ac"}"""))
                .willSetStateTo(Scenario.STARTED));

        // Contacts: the list, two pages.
        intercom.stubFor(WireMock.get(urlPathEqualTo("/contacts"))
                .withQueryParam("per_page", equalTo("150"))
                .withQueryParam("starting_after", absent())
                .willReturn(json(200, """
                        {"type": "list", "data": [
                           {"type": "contact", "id": "6762f0d01bb69f9f2193bb7d", "role": "user",
                            "email": "ada@beacon.example", "name": "Ada Buyer", "phone": null,
                            "created_at": 1734537424, "updated_at": 1734537424, "signed_up_at": 1734537424,
                            "companies": {"type": "list", "data": [{"type": "company",
                                "id": "6762f0971bb69f9f2193bb01", "url": "/companies/6762f0971bb69f9f2193bb01"}],
                                "url": "/contacts/6762f0d01bb69f9f2193bb7d/companies", "total_count": 1,
                                "has_more": false}},
                           {"type": "contact", "id": "6762f0d01bb69f9f2193bb7e", "role": "lead",
                            "email": null, "name": null, "created_at": 1734537424, "updated_at": 1734537425,
                            "companies": {"type": "list", "data": [], "total_count": 0, "has_more": false}}],
                         "total_count": 4,
                         "pages": {"type": "pages", "page": 1, "per_page": 2, "total_pages": 2,
                                   "next": {"page": 2, "starting_after": "WzE3MzQ1Mzc0MjUwMDAsIjY3In0="}}}""")));
        intercom.stubFor(WireMock.get(urlPathEqualTo("/contacts"))
                .withQueryParam("starting_after", equalTo("WzE3MzQ1Mzc0MjUwMDAsIjY3In0="))
                .willReturn(json(200, """
                        {"type": "list", "data": [
                           {"type": "contact", "id": "6762f0d01bb69f9f2193bb7f", "role": "user",
                            "email": "cy@cobalt.example", "name": "Cy Freight",
                            "created_at": 1734537424, "updated_at": 1734537426,
                            "companies": {"type": "list", "data": [{"type": "company",
                                "id": "6762f0971bb69f9f2193bb03"}], "total_count": 1, "has_more": false}},
                           {"id": "6762f0d01bb69f9f2193bb80", "object": "contact", "deleted": true}],
                         "total_count": 4,
                         "pages": {"type": "pages", "page": 2, "per_page": 2, "total_pages": 2}}""")));

        // Conversations: the search, two pages, a 429 before the second.
        intercom.stubFor(WireMock.post(urlPathEqualTo("/conversations/search"))
                .withRequestBody(equalToJson("""
                        {"query": {"field": "updated_at", "operator": ">", "value": 0},
                         "pagination": {"per_page": 150}}"""))
                .willReturn(json(200, """
                        {"type": "conversation.list", "total_count": 5,
                         "pages": {"type": "pages", "page": 1, "per_page": 4, "total_pages": 2,
                                   "next": {"page": 2, "starting_after": "WzE3MzQ1Mzc1NDYwMDAsNTE1XQ=="}},
                         "conversations": [
                           {"type": "conversation", "id": "101", "created_at": 1767261600, "updated_at": 1767268800,
                            "source": {"type": "conversation", "subject": "",
                                       "body": "<p>Exports <b>stall</b> at 90%</p>"},
                            "contacts": {"type": "contact.list", "contacts": [
                               {"type": "contact", "id": "6762f0d01bb69f9f2193bb7d", "external_id": "70"}]},
                            "open": true, "state": "open", "priority": "priority",
                            "tags": {"type": "tag.list", "tags": [{"type": "tag", "id": "1", "name": "Escalated"}]},
                            "statistics": {"type": "conversation_statistics", "time_to_admin_reply": 1800,
                                           "first_admin_reply_at": 1767263400, "first_close_at": null,
                                           "last_close_at": null},
                            "conversation_rating": {"rating": 4, "remark": "Quick, thanks",
                                                    "created_at": 1767268000,
                                                    "contact": {"type": "contact", "id": "6762f0d01bb69f9f2193bb7d"}},
                            "ticket": null},
                           {"type": "conversation", "id": "102", "created_at": 1767261600, "updated_at": 1767290000,
                            "title": "Invoices missing",
                            "contacts": {"type": "contact.list", "contacts": [
                               {"type": "contact", "id": "6762f0d01bb69f9f2193bb7f"}]},
                            "open": false, "state": "closed", "priority": "not_priority",
                            "statistics": {"type": "conversation_statistics", "time_to_admin_reply": 600,
                                           "time_to_last_close": 14400, "last_close_at": null},
                            "conversation_rating": null, "ticket": null},
                           {"type": "conversation", "id": "103", "created_at": "yesterday", "updated_at": 1767290000,
                            "state": "open",
                            "contacts": {"type": "contact.list", "contacts": [
                               {"type": "contact", "id": "6762f0d01bb69f9f2193bb7d"}]}},
                           {"type": "conversation", "id": "106", "created_at": 1767261600, "updated_at": 1767290001,
                            "state": "open", "priority": "not_priority",
                            "contacts": {"type": "contact.list", "contacts": [
                               {"type": "contact", "id": "6762f0d01bb69f9f2193bb7e"}]}}]}""")));
        intercom.stubFor(WireMock.post(urlPathEqualTo("/conversations/search"))
                .withRequestBody(
                        matchingJsonPath("$.pagination.starting_after", equalTo("WzE3MzQ1Mzc1NDYwMDAsNTE1XQ==")))
                .inScenario("rate limited")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "1")
                        .withHeader("X-RateLimit-Limit", "10000")
                        .withHeader("X-RateLimit-Remaining", "0")
                        .withHeader("Content-Type", "application/json")
                        .withBody("""
                                {"type": "error.list", "errors": [{"code": "rate_limit_exceeded",
                                 "message": "Rate Limit Exceeded"}]}"""))
                .willSetStateTo("waited"));
        intercom.stubFor(WireMock.post(urlPathEqualTo("/conversations/search"))
                .withRequestBody(
                        matchingJsonPath("$.pagination.starting_after", equalTo("WzE3MzQ1Mzc1NDYwMDAsNTE1XQ==")))
                .inScenario("rate limited")
                .whenScenarioStateIs("waited")
                .willReturn(json(200, """
                        {"type": "conversation.list", "total_count": 5,
                         "pages": {"type": "pages", "page": 2, "per_page": 4, "total_pages": 2},
                         "conversations": [
                           {"type": "conversation", "id": "107", "created_at": 1767265200, "updated_at": 1767300000,
                            "title": "Lab results late",
                            "contacts": {"type": "contact.list", "contacts": [
                               {"type": "contact", "id": "6762f0d01bb69f9f2193bb7d"}]},
                            "state": "snoozed", "snoozed_until": 1767400000, "priority": "not_priority",
                            "statistics": null, "conversation_rating": null, "ticket": null}]}""")));
        // The second pull: from the watermark (a second before it), where Intercom shows 102 deleted.
        intercom.stubFor(WireMock.post(urlPathEqualTo("/conversations/search"))
                .withRequestBody(equalToJson("""
                        {"query": {"field": "updated_at", "operator": ">", "value": 1767299999},
                         "pagination": {"per_page": 150}}"""))
                .willReturn(json(200, """
                        {"type": "conversation.list", "total_count": 1,
                         "pages": {"type": "pages", "page": 1, "per_page": 150, "total_pages": 1},
                         "conversations": [{"id": "102", "object": "conversation", "deleted": true}]}""")));

        intercom.stubFor(WireMock.post(urlPathEqualTo("/tickets/search")).willReturn(json(200, """
                        {"type": "ticket.list", "total_count": 1,
                         "pages": {"type": "pages", "page": 1, "per_page": 150, "total_pages": 1},
                         "tickets": [
                           {"type": "ticket", "id": "633", "ticket_id": "40",
                            "ticket_attributes": {"_default_title_": "Refund for March",
                                                  "_default_description_": null},
                            "ticket_state": {"type": "ticket_state", "id": "8577",
                                             "category": "waiting_on_customer",
                                             "internal_label": "Waiting on customer"},
                            "ticket_type": {"type": "ticket_type", "id": "100", "name": "Billing"},
                            "contacts": {"type": "contact.list", "contacts": [
                               {"type": "contact", "id": "6762f0d01bb69f9f2193bb7d"}]},
                            "created_at": 1767261600, "updated_at": 1767270000, "open": true}]}""")));
        intercom.stubFor(WireMock.post(urlPathEqualTo("/contacts/search")).willReturn(json(200, """
                        {"type": "list", "data": [], "total_count": 0,
                         "pages": {"type": "pages", "page": 1, "per_page": 150, "total_pages": 0}}""")));
    }

    @DynamicPropertySource
    static void intercomApi(DynamicPropertyRegistry registry) {
        registry.add("steward.intercom.api-url", () -> "http://127.0.0.1:" + intercom.port());
    }

    @AfterAll
    static void stopIntercom() {
        intercom.stop();
    }

    @Test
    void theFirstPullReadsEverythingAndTheNextSearchesFromTheWatermarks() throws Exception {
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

        send(post("/api/v1/intercom/sources"), """
                        {"name": "intercom-acme", "region": "EU", "accessToken": "%s", "accountsSource": "crm",
                         "everyMinutes": 30}""".formatted(TOKEN))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.region", is("eu")))
                .andExpect(jsonPath("$.apiHost", is("api.eu.intercom.io")))
                .andExpect(jsonPath("$.signedInAs", is("Ada Admin <ada@acme.example>")))
                .andExpect(jsonPath("$.workspace", is("Acme Support")))
                .andExpect(jsonPath("$.accessToken").doesNotExist());
        String stored = jdbc.sql("""
                        select c.secret from ingest_pull_connection c join ingest_source s on s.id = c.source_id
                        where s.name = 'intercom-acme'""").query(String.class).single();
        assertThat(stored).startsWith("gcm1:").doesNotContain(TOKEN);

        waitForRuns("intercom-acme", 4);
        Map<String, Object> companies = run("intercom-acme", "companies");
        assertThat(companies).containsEntry("state", "partial");
        assertThat(counts(companies))
                .containsEntry("rowsRead", 5)
                .containsEntry("created", 1)
                .containsEntry("updated", 2)
                .containsEntry("rejected", 1)
                .containsEntry("skipped", 1)
                .as("three pages of the scroll, the last empty")
                .containsEntry("apiCalls", 3);
        assertThat(errors(companies).get(0))
                .containsEntry("where", "company 6762f0971bb69f9f2193bb04")
                .containsEntry("field", "created_at")
                .containsEntry("value", "last Tuesday");
        Map<String, Object> contacts = run("intercom-acme", "contacts");
        assertThat(contacts).containsEntry("state", "succeeded").containsEntry("watermarkTo", "1734537426");
        assertThat(counts(contacts))
                .containsEntry("rowsRead", 4)
                .containsEntry("created", 2)
                .as("a lead of no company, and a deleted contact")
                .containsEntry("skipped", 2)
                .containsEntry("apiCalls", 2);
        Map<String, Object> conversations = run("intercom-acme", "conversations");
        assertThat(conversations).containsEntry("state", "partial").containsEntry("watermarkTo", "1767300000");
        assertThat(counts(conversations))
                .containsEntry("rowsRead", 5)
                .containsEntry("created", 3)
                .containsEntry("rejected", 1)
                .containsEntry("skipped", 1)
                .as("two pages, and the 429 before the second")
                .containsEntry("apiCalls", 3);
        assertThat(errors(conversations).get(0))
                .containsEntry("where", "conversation 103")
                .containsEntry("field", "created_at")
                .containsEntry("value", "yesterday");
        assertThat(counts(run("intercom-acme", "tickets")))
                .containsEntry("rowsRead", 1)
                .containsEntry("created", 1);

        // Linked accounts keep their names; the company of no account is one now.
        mvc.perform(get("/api/v1/accounts/" + beacon)).andExpect(jsonPath("$.name", is("Beacon Laboratories Inc.")));
        mvc.perform(get("/api/v1/accounts/" + beacon + "/contacts"))
                .andExpect(jsonPath("$.items[0].name", is("Ada Buyer")))
                .andExpect(jsonPath("$.items[0].email", is("ada@beacon.example")));
        mvc.perform(get("/api/v1/accounts/" + beacon + "/tickets"))
                .andExpect(jsonPath("$.items", hasSize(3)))
                .andExpect(jsonPath("$.items[*].externalId", containsInAnyOrder("101", "107", "ticket-633")));
        String tickets = mvc.perform(get("/api/v1/accounts/" + beacon + "/tickets"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        Map<String, Object> exports = ticket(tickets, "101");
        assertThat(exports)
                .containsEntry("subject", "Exports stall at 90%")
                .containsEntry("priority", "high")
                .containsEntry("status", "open")
                .containsEntry("escalated", true)
                .containsEntry("firstResponseAt", "2026-01-01T10:30:00Z")
                .containsEntry("csat", 4);
        assertThat(ticket(tickets, "107")).containsEntry("status", "pending").containsEntry("priority", "normal");
        assertThat(ticket(tickets, "ticket-633"))
                .containsEntry("subject", "Refund for March")
                .containsEntry("status", "pending");
        mvc.perform(get("/api/v1/accounts/" + beacon + "/survey-responses"))
                .andExpect(jsonPath("$.items[0].kind", is("csat")))
                .andExpect(jsonPath("$.items[0].score", is(4)))
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
                .andExpect(jsonPath("$.items[0].externalId", is("102")))
                .andExpect(jsonPath("$.items[0].status", is("closed")))
                .andExpect(jsonPath("$.items[0].firstResponseAt", is("2026-01-01T10:10:00Z")))
                .andExpect(jsonPath("$.items[0].resolvedAt", is("2026-01-01T14:00:00Z")));
        mvc.perform(get("/api/v1/intercom/sources/intercom-acme"))
                .andExpect(jsonPath("$.feeds[*].object")
                        .value(containsInAnyOrder("companies", "contacts", "conversations", "tickets")))
                .andExpect(jsonPath("$.feeds[2].cursor", is("1767300000")));
        intercom.verify(postRequestedFor(urlPathEqualTo("/tickets/search"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Intercom-Version", equalTo("2.11")));

        // The second pull searches each feed from its watermark; Intercom deleted conversation 102 meanwhile.
        mvc.perform(post("/api/v1/intercom/sources/intercom-acme/pulls").with(csrf()))
                .andExpect(status().isAccepted());
        mvc.perform(post("/api/v1/intercom/sources/intercom-acme/pulls").with(csrf()))
                .andExpect(status().isConflict());
        waitForRuns("intercom-acme", 8);
        Map<String, Object> again = run("intercom-acme", "conversations");
        assertThat(again)
                .containsEntry("state", "succeeded")
                .containsEntry("trigger", "manual")
                .containsEntry("watermarkFrom", "1767300000")
                .containsEntry("watermarkTo", "1767300000");
        assertThat(counts(again)).containsEntry("rowsRead", 1).containsEntry("deleted", 1);
        mvc.perform(get("/api/v1/accounts/" + cobalt + "/tickets")).andExpect(jsonPath("$.items", hasSize(0)));
        intercom.verify(postRequestedFor(urlPathEqualTo("/contacts/search"))
                .withRequestBody(matchingJsonPath("$.query.value", equalTo("1734537425"))));
        assertThat(counts(run("intercom-acme", "companies")))
                .as("companies are read in full each time; linked and created ones are left as they are")
                .containsEntry("unchanged", 3)
                .containsEntry("rejected", 1);
        intercom.verify(2, getRequestedFor(urlPathEqualTo("/contacts")).withQueryParam("per_page", equalTo("150")));
    }

    @Test
    void aTokenIntercomRefusesKeepsNothing() throws Exception {
        send(post("/api/v1/intercom/sources"), """
                        {"name": "intercom-refused", "accessToken": "dG9rOndyb25n"}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("accessToken")))
                .andExpect(jsonPath("$.errors[0].reason", is("Intercom refused: Access Token Invalid")));
        send(post("/api/v1/intercom/sources"), """
                        {"name": "intercom-nothing", "region": "us"}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("accessToken")));
        send(post("/api/v1/intercom/sources"), """
                        {"name": "intercom-mars", "region": "mars", "accessToken": "%s"}""".formatted(TOKEN))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("region")));
        mvc.perform(get("/api/v1/intercom/sources/intercom-refused")).andExpect(status().isNotFound());
        assertThat(jdbc.sql(
                                "select count(*) from ingest_source where name like 'intercom-%' and name <> 'intercom-acme'")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    private void waitForRuns(String source, int count) {
        Awaitility.await("the pull of " + source + " ends")
                .pollInSameThread()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    String body = mvc.perform(get("/api/v1/intercom/sources/" + source + "/runs"))
                            .andReturn()
                            .getResponse()
                            .getContentAsString();
                    List<String> states = JsonPath.read(body, "$[*].state");
                    return states.size() == count && !states.contains("running");
                });
    }

    /** The latest run of a feed. */
    private Map<String, Object> run(String source, String feed) throws Exception {
        String body = mvc.perform(get("/api/v1/intercom/sources/" + source + "/runs"))
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

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }
}
