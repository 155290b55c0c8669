package dev.steward.ingest.hubspot;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserManagement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 * A HubSpot source through the API, against a local server answering with HubSpot's documented shapes (CRM v3 list and
 * search, v4 associations, account info): the first pull lists every company (two pages, the second asked with the
 * first's {@code paging.next.after}), linking two to the accounts Steward had (by the property crm_id and by domain),
 * creating the others with their parent company (named before it arrives), and rejecting a malformed one; contacts
 * (after a 503 retried) become contacts of their company's account with their buying role; deals (after a 429 waited
 * out for its Retry-After) listed with their companies become opportunities of their primary company's account,
 * renewal and expansion by their type, one with an amount that is no amount rejected. The second pull searches only
 * what changed since the first load started (the request's filter asserted), and asks the deals' companies through the
 * v4 associations. A first load cut off goes on from the page it reached. A search that reaches HubSpot's most results
 * per query starts again from the last change read. A token HubSpot refuses keeps nothing; the token is stored sealed
 * and sent as a Bearer token.
 */
@StewardTest
@WithMockUser(roles = "ADMIN")
@TestPropertySource(
        properties = {
            "steward.secrets.key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
            "steward.hubspot.max-results=200",
            "steward.hubspot.backoff=50ms",
            "steward.hubspot.max-backoff=200ms"
        })
class HubspotPullApiTests {

    static final String TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555";

    static final String BIG = "pat-na1-99999999-2222-3333-4444-555555555555";

    static final String BACK = "pat-na1-77777777-2222-3333-4444-555555555555";

    static final String MAP = "pat-na1-33333333-2222-3333-4444-555555555555";

    static final String CUT = "pat-na1-55555555-2222-3333-4444-555555555555";

    /** When the first loads start: the test clock's time, the searches' cursor after them. */
    static final String LOADED = "2026-03-18T10:15:30Z";

    static WireMockServer hubspot;

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AccountManagement accounts;

    @Autowired
    UserManagement users;

    @BeforeAll
    static void startHubspot() {
        hubspot = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        hubspot.start();
        hubspot.stubFor(WireMock.get(urlPathEqualTo("/account-info/v3/details")).willReturn(json(401, """
                        {"status": "error", "message": "Authentication credentials not found. This API supports OAuth 2.0 authentication.",
                         "correlationId": "2c8f4b1e-0000-4000-8000-000000000001", "category": "INVALID_AUTHENTICATION"}""")));
        for (String token : List.of(TOKEN, BIG, BACK, CUT)) {
            hubspot.stubFor(WireMock.get(urlPathEqualTo("/account-info/v3/details"))
                    .withHeader("Authorization", equalTo("Bearer " + token))
                    .willReturn(json(200, """
                            {"portalId": 62515, "timeZone": "Europe/Berlin", "companyCurrency": "EUR",
                             "additionalCurrencies": [], "utcOffset": "+01:00", "utcOffsetMilliseconds": 3600000,
                             "uiDomain": "app-eu1.hubspot.com", "dataHostingLocation": "eu1", "accountType": "STANDARD"}""")));
        }

        // Companies: every one the first time, through HubSpot's list, two pages.
        hubspot.stubFor(firstList(TOKEN, "companies")
                .willReturn(results(
                        "3",
                        company("101", """
                        "name": "Beacon Labs", "domain": null, "crm_id": "CRM-7\"""", "2026-03-01T10:00:00.000Z"),
                        company("102", """
                        "name": "Rocket", "domain": "www.Rocket.example", "crm_id": null""", "2026-03-01T11:00:00.000Z"),
                        company("103", """
                        "name": "Cobalt Freight", "domain": "cobalt-freight.example", "hs_parent_company_id": "104\"""", "2026-03-01T12:00:00.000Z"))));
        hubspot.stubFor(list(TOKEN, "companies")
                .withQueryParam("after", equalTo("3"))
                .willReturn(results(null, company("104", """
                        "name": "Cobalt Holdings", "domain": "cobalt-holdings.example\"""", "2026-03-01T13:00:00.000Z"), """
                        {"id": "105", "properties": {"name": "Dune Kites", "createdate": "last Tuesday",
                          "hs_lastmodifieddate": "2026-03-01T14:00:00.000Z", "hs_object_id": "105"},
                         "createdAt": "2025-06-01T10:00:00.000Z", "updatedAt": "2026-03-01T14:00:00.000Z",
                         "archived": false}""")));
        // The second pull: only what changed since the first load started (the test clock's time).
        hubspot.stubFor(changedSince(TOKEN, "companies", "hs_lastmodifieddate", LOADED)
                .willReturn(results(null, company("103", """
                        "name": "Cobalt Freight GmbH", "domain": "cobalt-freight.example", "hs_parent_company_id": "104\"""", "2026-03-18T11:00:00.000Z"))));

        // Contacts: a 503 first, then one page.
        hubspot.stubFor(firstList(TOKEN, "contacts")
                .inScenario("contacts")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(503, """
                        {"status": "error", "message": "Service Unavailable", "correlationId": "0000", "category": "SERVICE_UNAVAILABLE"}"""))
                .willSetStateTo("up"));
        hubspot.stubFor(firstList(TOKEN, "contacts")
                .inScenario("contacts")
                .whenScenarioStateIs("up")
                .willReturn(results(
                        null,
                        contact("201", """
                        "firstname": "Ada", "lastname": "Buyer", "email": "ada@beacon.example", "jobtitle": "VP Operations",
                        "hs_buying_role": "CHAMPION", "associatedcompanyid": "101\"""", "2026-03-02T08:00:00.000Z"),
                        contact("202", """
                        "firstname": "Walk", "lastname": "In", "email": "walk@in.example", "associatedcompanyid": null""", "2026-03-02T08:30:00.000Z"),
                        contact("203", """
                        "firstname": "Cy", "lastname": "Freight", "email": "cy@cobalt-freight.example",
                        "hs_buying_role": "DECISION_MAKER;END_USER", "associatedcompanyid": "103\"""", "2026-03-02T09:00:00.000Z"))));
        hubspot.stubFor(
                changedSince(TOKEN, "contacts", "lastmodifieddate", LOADED).willReturn(results(null)));

        // Deals: a 429 with Retry-After first, then one page, each deal with its companies.
        hubspot.stubFor(firstList(TOKEN, "deals")
                .inScenario("deals")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "1")
                        .withHeader("Content-Type", "application/json")
                        .withBody("""
                                {"status": "error", "message": "You have reached your secondly limit.",
                                 "errorType": "RATE_LIMIT", "correlationId": "0001", "policyName": "SECONDLY"}"""))
                .willSetStateTo("waited"));
        hubspot.stubFor(firstList(TOKEN, "deals")
                .inScenario("deals")
                .whenScenarioStateIs("waited")
                .willReturn(results(
                        null,
                        withCompanies(deal("301", """
                        "dealname": "Cobalt renewal 2027", "amount": "12000", "closedate": "2026-09-30T00:00:00.000Z",
                        "dealstage": "contractsent", "pipeline": "default", "dealtype": "Renewal\"""", "2026-03-02T10:00:00.000Z"), """
                        {"id": "101", "type": "deal_to_company_unlabeled"}, {"id": "103", "type": "deal_to_company"},
                        {"id": "103", "type": "deal_to_company_unlabeled"}"""),
                        withCompanies(deal("302", """
                        "dealname": "Beacon seats", "amount": "4500.5", "closedate": "2026-03-01T00:00:00.000Z",
                        "dealstage": "closedwon", "pipeline": "default", "dealtype": "existingbusiness\"""", "2026-03-02T11:00:00.000Z"), """
                        {"id": "101", "type": "deal_to_company"}"""),
                        deal("303", """
                        "dealname": "Walk-in", "amount": "100", "dealstage": "appointmentscheduled",
                        "dealtype": "newbusiness\"""", "2026-03-02T12:00:00.000Z"),
                        withCompanies(deal("304", """
                        "dealname": "Odd", "amount": "lots", "dealstage": "qualifiedtobuy\"""", "2026-03-02T13:00:00.000Z"), """
                        {"id": "101", "type": "deal_to_company"}"""))));
        hubspot.stubFor(WireMock.post(urlPathEqualTo("/crm/v4/associations/deals/companies/batch/read"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(json(200, """
                        {"status": "COMPLETE",
                         "results": [
                           {"from": {"id": "301"}, "to": [
                              {"toObjectId": 101, "associationTypes": [{"category": "HUBSPOT_DEFINED", "typeId": 341, "label": null}]},
                              {"toObjectId": 103, "associationTypes": [{"category": "HUBSPOT_DEFINED", "typeId": 5, "label": "Primary"},
                                                                      {"category": "HUBSPOT_DEFINED", "typeId": 341, "label": null}]}]},
                           {"from": {"id": "302"}, "to": [
                              {"toObjectId": 101, "associationTypes": [{"category": "HUBSPOT_DEFINED", "typeId": 5, "label": "Primary"}]}]},
                           {"from": {"id": "304"}, "to": [
                              {"toObjectId": 101, "associationTypes": [{"category": "HUBSPOT_DEFINED", "typeId": 5, "label": "Primary"}]}]}],
                         "startedAt": "2026-03-18T10:15:30.000Z", "completedAt": "2026-03-18T10:15:30.050Z"}""")));
        // Later pulls search the deals, and ask their companies through the v4 associations.
        hubspot.stubFor(changedSince(TOKEN, "deals", "hs_lastmodifieddate", LOADED)
                .willReturn(results(null, deal("302", """
                        "dealname": "Beacon seats", "amount": "5000", "closedate": "2026-03-01T00:00:00.000Z",
                        "dealstage": "closedwon", "pipeline": "default", "dealtype": "existingbusiness\"""", "2026-03-18T11:00:00.000Z"))));

        // A HubSpot with more companies than its search answers to one query (here 200): two full pages, then the
        // search starts again from the last change read, which answers that company again and one more.
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            (i <= 100 ? first : second)
                    .add(company(
                            Integer.toString(5000 + i),
                            """
                    "name": "Bulk %d\"""".formatted(i),
                            Instant.parse("2026-02-01T00:00:00Z").plusSeconds(i) + ""));
        }
        hubspot.stubFor(changedSince(BIG, "companies", "hs_lastmodifieddate", "2026-01-01T00:00:00Z")
                .willReturn(results("100", first.toArray(String[]::new))));
        hubspot.stubFor(search(BIG, "companies")
                .withRequestBody(matchingJsonPath("$.after", equalTo("100")))
                .willReturn(results("200", second.toArray(String[]::new))));
        hubspot.stubFor(changedSince(BIG, "companies", "hs_lastmodifieddate", "2026-02-01T00:03:20Z")
                .willReturn(results(null, second.get(99), company("5201", """
                        "name": "Bulk 201\"""", "2026-02-01T00:03:21Z"))));
        hubspot.stubFor(search(BIG, "contacts").willReturn(results(null)));
        hubspot.stubFor(search(BIG, "deals").willReturn(results(null)));

        // Write-back: two companies; the group exists already, the properties do not.
        hubspot.stubFor(search(BACK, "companies")
                .willReturn(results(
                        null,
                        company("601", """
                        "name": "Nimbus Air", "domain": "nimbus.example\"""", "2026-03-01T10:00:00.000Z"),
                        company("602", """
                        "name": "Orbit Labs", "domain": "orbit.example\"""", "2026-03-01T11:00:00.000Z"))));
        hubspot.stubFor(list(BACK, "companies")
                .willReturn(results(
                        null,
                        company("601", """
                        "name": "Nimbus Air", "domain": "nimbus.example\"""", "2026-03-01T10:00:00.000Z"),
                        company("602", """
                        "name": "Orbit Labs", "domain": "orbit.example\"""", "2026-03-01T11:00:00.000Z"))));
        for (String object : List.of("contacts", "deals")) {
            hubspot.stubFor(search(BACK, object).willReturn(results(null)));
            hubspot.stubFor(list(BACK, object).willReturn(results(null)));
        }

        // A first load cut off on its second page (HubSpot refuses it once), then resumed from it.
        hubspot.stubFor(
                firstList(CUT, "companies").willReturn(results("2", company("1001", """
                        "name": "First Page Ltd\"""", "2026-03-01T10:00:00.000Z"))));
        hubspot.stubFor(list(CUT, "companies")
                .withQueryParam("after", equalTo("2"))
                .inScenario("cut")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(400, """
                        {"status": "error", "message": "Invalid input JSON on line 1", "correlationId": "0003",
                         "category": "VALIDATION_ERROR"}"""))
                .willSetStateTo("mended"));
        hubspot.stubFor(list(CUT, "companies")
                .withQueryParam("after", equalTo("2"))
                .inScenario("cut")
                .whenScenarioStateIs("mended")
                .willReturn(results(null, company("1002", """
                        "name": "Second Page Ltd\"""", "2026-03-01T11:00:00.000Z"))));
        for (String object : List.of("contacts", "deals")) {
            hubspot.stubFor(list(CUT, object).willReturn(results(null)));
        }
        hubspot.stubFor(WireMock.post(urlPathEqualTo("/crm/v3/properties/companies/groups"))
                .withHeader("Authorization", equalTo("Bearer " + BACK))
                .willReturn(json(409, """
                        {"status": "error", "message": "A property group named 'steward' already exists.",
                         "correlationId": "0002", "category": "OBJECT_ALREADY_EXISTS"}""")));
        hubspot.stubFor(WireMock.post(urlPathEqualTo("/crm/v3/properties/companies"))
                .withHeader("Authorization", equalTo("Bearer " + BACK))
                .willReturn(json(201, """
                        {"name": "steward_health_score", "label": "Health score (Steward)", "type": "number",
                         "fieldType": "number", "groupName": "steward", "hidden": false, "formField": false,
                         "createdAt": "2026-03-18T10:15:30.000Z", "updatedAt": "2026-03-18T10:15:30.000Z"}""")));
        hubspot.stubFor(WireMock.post(urlPathEqualTo("/crm/v3/objects/companies/batch/update"))
                .withHeader("Authorization", equalTo("Bearer " + BACK))
                .willReturn(json(200, """
                        {"status": "COMPLETE", "results": [{"id": "601", "properties": {"steward_health_score": "72"},
                          "createdAt": "2025-06-01T10:00:00.000Z", "updatedAt": "2026-03-18T10:15:31.000Z",
                          "archived": false}],
                         "startedAt": "2026-03-18T10:15:30.000Z", "completedAt": "2026-03-18T10:15:31.000Z"}""")));
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
    void theFirstPullReadsEverythingAndTheNextOnlyWhatChanged() throws Exception {
        String existing = send(post("/api/v1/accounts/bulk?source=crm"), """
                        {"records": [{"externalId": "CRM-7", "name": "Beacon Laboratories Inc."},
                                     {"externalId": "RK-9", "name": "Rocket Ltd",
                                      "customFields": {"domain": "rocket.example"}}]}""")
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        String beacon = JsonPath.read(existing, "$.results[0].id");
        String rocket = JsonPath.read(existing, "$.results[1].id");

        send(post("/api/v1/hubspot/sources"), """
                        {"name": "hubspot-acme", "token": "%s", "accountsSource": "crm",
                         "externalIdProperty": "crm_id", "everyMinutes": 15}""".formatted(TOKEN))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.portalId", is(62515)))
                .andExpect(jsonPath("$.uiDomain", is("app-eu1.hubspot.com")))
                .andExpect(jsonPath("$.externalIdProperty", is("crm_id")))
                .andExpect(jsonPath("$.everyMinutes", is(15)))
                .andExpect(jsonPath("$.token").doesNotExist());
        assertThat(secret("hubspot-acme")).startsWith("gcm1:").doesNotContain(TOKEN);

        waitForRuns("hubspot-acme", 3);
        Map<String, Object> companies = run("hubspot-acme", "companies");
        assertThat(companies).containsEntry("state", "partial");
        assertThat(counts(companies))
                .containsEntry("rowsRead", 5)
                .as("Beacon by crm_id, Rocket by domain")
                .containsEntry("updated", 2)
                .containsEntry("created", 2)
                .containsEntry("rejected", 1)
                .containsEntry("apiCalls", 2);
        assertThat(errors(companies).get(0))
                .containsEntry("where", "company 105")
                .containsEntry("field", "createdate")
                .containsEntry("value", "last Tuesday");
        assertThat(companies).containsEntry("watermarkTo", LOADED);
        Map<String, AccountId> byCompany = accounts.resolve("hubspot-acme", List.of("101", "102", "103", "104"));
        assertThat(byCompany.get("101").value().toString()).isEqualTo(beacon);
        assertThat(byCompany.get("102").value().toString()).isEqualTo(rocket);
        assertThat(accounts.get(byCompany.get("101")).name())
                .as("a linked account keeps its name")
                .isEqualTo("Beacon Laboratories Inc.");
        assertThat(accounts.get(byCompany.get("103")).name()).isEqualTo("Cobalt Freight");
        assertThat(accounts.get(byCompany.get("103")).parentId())
                .as("Cobalt Freight's parent came a page later")
                .isEqualTo(byCompany.get("104"));

        Map<String, Object> contacts = run("hubspot-acme", "contacts");
        assertThat(contacts).containsEntry("state", "succeeded");
        assertThat(counts(contacts))
                .containsEntry("rowsRead", 3)
                .containsEntry("created", 2)
                .containsEntry("skipped", 1)
                .as("a 503, then the page")
                .containsEntry("apiCalls", 2);
        String beaconContacts = body(get("/api/v1/accounts/" + beacon + "/contacts"));
        assertThat(JsonPath.<List<String>>read(beaconContacts, "$.items[*].name"))
                .containsExactly("Ada Buyer");
        assertThat(JsonPath.<List<String>>read(beaconContacts, "$.items[*].role"))
                .containsExactly("champion");
        assertThat(JsonPath.<List<String>>read(beaconContacts, "$.items[*].title"))
                .containsExactly("VP Operations");
        String cobaltContacts =
                body(get("/api/v1/accounts/" + byCompany.get("103").value() + "/contacts"));
        assertThat(JsonPath.<List<String>>read(cobaltContacts, "$.items[*].role"))
                .containsExactly("executive_sponsor");

        Map<String, Object> deals = run("hubspot-acme", "deals");
        assertThat(deals).containsEntry("state", "partial");
        assertThat(counts(deals))
                .containsEntry("rowsRead", 4)
                .containsEntry("created", 2)
                .containsEntry("skipped", 1)
                .containsEntry("rejected", 1)
                .as("a 429 waited out, then the list with each deal's companies")
                .containsEntry("apiCalls", 2);
        hubspot.verify(getRequestedFor(urlPathEqualTo("/crm/v3/objects/deals"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withQueryParam("limit", equalTo("100"))
                .withQueryParam("archived", equalTo("false"))
                .withQueryParam("associations", equalTo("companies"))
                .withQueryParam("properties", containing("dealstage")));
        assertThat(errors(deals).get(0))
                .containsEntry("where", "deal 304")
                .containsEntry("field", "amount")
                .containsEntry("value", "lots")
                .containsEntry("reason", "is not a number");
        String cobaltDeals = body(get("/api/v1/accounts/" + byCompany.get("103").value() + "/opportunities"));
        assertThat(JsonPath.<List<String>>read(cobaltDeals, "$.items[*].name"))
                .as("the primary company's")
                .containsExactly("Cobalt renewal 2027");
        assertThat(JsonPath.<String>read(cobaltDeals, "$.items[0].type")).isEqualTo("renewal");
        assertThat(JsonPath.<Number>read(cobaltDeals, "$.items[0].amount").doubleValue())
                .isEqualTo(12000.0);
        assertThat(JsonPath.<String>read(cobaltDeals, "$.items[0].stage")).isEqualTo("contractsent");
        assertThat(JsonPath.<String>read(cobaltDeals, "$.items[0].closeDate")).isEqualTo("2026-09-30");
        String beaconDeals = body(get("/api/v1/accounts/" + beacon + "/opportunities"));
        assertThat(JsonPath.<String>read(beaconDeals, "$.items[0].name")).isEqualTo("Beacon seats");
        assertThat(JsonPath.<String>read(beaconDeals, "$.items[0].type")).isEqualTo("expansion");
        assertThat(JsonPath.<String>read(beaconDeals, "$.items[0].stage")).isEqualTo("closed_won");
        assertThat(JsonPath.<Number>read(beaconDeals, "$.items[0].amount").doubleValue())
                .isEqualTo(4500.5);

        // The second pull asks each search only for what changed since its cursor.
        mvc.perform(post("/api/v1/hubspot/sources/hubspot-acme/pulls").with(csrf()))
                .andExpect(status().isAccepted());
        waitForRuns("hubspot-acme", 6);
        hubspot.verify(postRequestedFor(urlPathEqualTo("/crm/v3/objects/companies/search"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withRequestBody(equalToJson("""
                        {"filterGroups": [{"filters": [{"propertyName": "hs_lastmodifieddate", "operator": "GTE",
                                                        "value": "%d"}]}],
                         "sorts": [{"propertyName": "hs_lastmodifieddate", "direction": "ASCENDING"}],
                         "limit": 100}""".formatted(Instant.parse(LOADED).toEpochMilli()), false, true)));
        hubspot.verify(postRequestedFor(urlPathEqualTo("/crm/v3/objects/contacts/search"))
                .withRequestBody(
                        matchingJsonPath("$.filterGroups[0].filters[0].propertyName", equalTo("lastmodifieddate")))
                .withRequestBody(matchingJsonPath("$.properties[?(@ == 'hs_buying_role')]")));
        Map<String, Object> again = run("hubspot-acme", "companies");
        assertThat(again).containsEntry("state", "succeeded").containsEntry("watermarkTo", "2026-03-18T11:00:00Z");
        assertThat(counts(again))
                .containsEntry("rowsRead", 1)
                .containsEntry("updated", 1)
                .containsEntry("apiCalls", 1);
        assertThat(accounts.get(byCompany.get("103")).name()).isEqualTo("Cobalt Freight GmbH");
        assertThat(accounts.get(byCompany.get("103")).parentId()).isEqualTo(byCompany.get("104"));
        assertThat(counts(run("hubspot-acme", "contacts"))).containsEntry("rowsRead", 0);
        assertThat(counts(run("hubspot-acme", "deals")))
                .containsEntry("rowsRead", 1)
                .containsEntry("updated", 1)
                .as("the search, the associations")
                .containsEntry("apiCalls", 2);
        assertThat(JsonPath.<Number>read(
                                body(get("/api/v1/accounts/" + beacon + "/opportunities")), "$.items[0].amount")
                        .doubleValue())
                .isEqualTo(5000.0);
    }

    @Test
    void aSearchThatReachesHubspotsMostResultsStartsAgainFromTheLastChangeRead() throws Exception {
        send(post("/api/v1/hubspot/sources"), """
                        {"name": "hubspot-big", "token": "%s", "paused": true}""".formatted(BIG)).andExpect(status().isCreated());
        // Past its first load: each feed goes on from a time.
        UUID big = jdbc.sql("select id from ingest_source where name = 'hubspot-big'")
                .query(UUID.class)
                .single();
        for (String feed : List.of("companies", "contacts", "deals")) {
            jdbc.sql(
                            "insert into ingest_pull_cursor (source_id, feed, cursor, updated_at) values (?, ?, ?, '2026-03-18T10:00:00Z')")
                    .params(big, feed, "2026-01-01T00:00:00Z")
                    .update();
        }
        pullNow("hubspot-big", 3);
        Map<String, Object> companies = run("hubspot-big", "companies");
        assertThat(companies).containsEntry("state", "succeeded").containsEntry("watermarkTo", "2026-02-01T00:03:21Z");
        assertThat(counts(companies))
                .containsEntry("rowsRead", 202)
                .containsEntry("created", 201)
                .as("the last company of the full query, read again")
                .containsEntry("unchanged", 1)
                .containsEntry("apiCalls", 3);
        hubspot.verify(postRequestedFor(urlPathEqualTo("/crm/v3/objects/companies/search"))
                .withHeader("Authorization", equalTo("Bearer " + BIG))
                .withRequestBody(matchingJsonPath(
                        "$.filterGroups[0].filters[0].value",
                        equalTo(Long.toString(
                                Instant.parse("2026-02-01T00:03:20Z").toEpochMilli()))))
                .withRequestBody(notContaining("\"after\"")));
        assertThat(accounts.resolve("hubspot-big", List.of("5001", "5200", "5201")))
                .hasSize(3);
        // HubSpot allows a token 4 searches a second: no five of them came within a second.
        List<Long> searches = hubspot.getAllServeEvents().stream()
                .map(e -> e.getRequest())
                .filter(r -> r.getUrl().endsWith("/search") && ("Bearer " + BIG).equals(r.getHeader("Authorization")))
                .map(r -> r.getLoggedDate().getTime())
                .sorted()
                .toList();
        assertThat(searches).hasSize(5);
        for (int i = 0; i + 4 < searches.size(); i++) {
            assertThat(searches.get(i + 4) - searches.get(i)).isGreaterThanOrEqualTo(950L);
        }
    }

    @Test
    void eachPullWritesTheChangedHealthOfTheAccountsBackOntoTheirCompanies() throws Exception {
        send(post("/api/v1/hubspot/sources"), """
                        {"name": "hubspot-back", "token": "%s", "writeBack": true}""".formatted(BACK))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("stewardUrl")));
        send(post("/api/v1/hubspot/sources"), """
                        {"name": "hubspot-back", "token": "%s", "writeBack": true,
                         "stewardUrl": "https://steward.example.com/", "paused": true}""".formatted(BACK))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.writeBack", is(true)))
                .andExpect(jsonPath("$.stewardUrl", is("https://steward.example.com")));

        // The first pull: the accounts have no score yet; the properties are made, the group was there.
        pullNow("hubspot-back", 4);
        assertThat(counts(run("hubspot-back", "write_back")))
                .containsEntry("rowsRead", 2)
                .containsEntry("skipped", 2)
                .containsEntry("updated", 0)
                .containsEntry("apiCalls", 6);
        for (String property : List.of(
                "steward_health_score",
                "steward_health_color",
                "steward_health_trend",
                "steward_csm",
                "steward_account_url")) {
            hubspot.verify(postRequestedFor(urlPathEqualTo("/crm/v3/properties/companies"))
                    .withHeader("Authorization", equalTo("Bearer " + BACK))
                    .withRequestBody(matchingJsonPath("$.name", equalTo(property)))
                    .withRequestBody(matchingJsonPath("$.groupName", equalTo("steward"))));
        }

        // Nimbus has a CSM and is scored (72 yesterday, 64.5 thirty days before).
        AccountId nimbus = accounts.resolve("hubspot-back", List.of("601")).get("601");
        User csm = users.createIfAbsent("wendy.back@steward.example", "Wendy Back", Role.CSM);
        accounts.setOwners(Map.of(nimbus, csm.id()));
        score(nimbus, "2026-03-17", 72, "green");
        score(nimbus, "2026-02-15", 64.5, "yellow");
        pullNow("hubspot-back", 8);
        assertThat(counts(run("hubspot-back", "write_back")))
                .containsEntry("rowsRead", 2)
                .containsEntry("updated", 1)
                .as("Orbit has no score")
                .containsEntry("skipped", 1);
        hubspot.verify(
                1,
                postRequestedFor(urlPathEqualTo("/crm/v3/objects/companies/batch/update"))
                        .withHeader("Authorization", equalTo("Bearer " + BACK))
                        .withRequestBody(equalToJson("""
                                {"inputs": [{"id": "601", "properties": {
                                  "steward_health_score": "72",
                                  "steward_health_color": "green",
                                  "steward_health_trend": "7.5",
                                  "steward_csm": "Wendy Back",
                                  "steward_account_url": "https://steward.example.com/accounts/%s"}}]}""".formatted(nimbus.value()))));

        // Nothing changed: nothing is sent again.
        pullNow("hubspot-back", 12);
        assertThat(counts(run("hubspot-back", "write_back")))
                .containsEntry("updated", 0)
                .containsEntry("unchanged", 1);
        hubspot.verify(
                1,
                postRequestedFor(urlPathEqualTo("/crm/v3/objects/companies/batch/update"))
                        .withHeader("Authorization", equalTo("Bearer " + BACK)));
    }

    @Test
    void aMappingIsCheckedPreviewedAndAppliedWithItsConflictPolicy() throws Exception {
        hubspot.stubFor(WireMock.get(urlPathEqualTo("/account-info/v3/details"))
                .withHeader("Authorization", equalTo("Bearer " + MAP))
                .willReturn(json(200, """
                        {"portalId": 62516, "uiDomain": "app.hubspot.com", "accountType": "STANDARD"}""")));
        properties("companies", """
                {"name": "name", "label": "Company name", "type": "string", "fieldType": "text", "hubspotDefined": true},
                {"name": "industry", "label": "Industry", "type": "enumeration", "fieldType": "select", "hubspotDefined": true},
                {"name": "numberofemployees", "label": "Number of Employees", "type": "number", "fieldType": "number", "hubspotDefined": true},
                {"name": "crm_id", "label": "CRM id", "type": "string", "fieldType": "text"},
                {"name": "plan_tier", "label": "Plan tier", "type": "string", "fieldType": "text"}""");
        properties("contacts", """
                {"name": "firstname", "label": "First Name", "type": "string", "fieldType": "text", "hubspotDefined": true},
                {"name": "jobtitle", "label": "Job Title", "type": "string", "fieldType": "text", "hubspotDefined": true}""");
        properties("deals", """
                {"name": "dealname", "label": "Deal Name", "type": "string", "fieldType": "text", "hubspotDefined": true}""");
        hubspot.stubFor(firstSearch(MAP, "companies")
                .willReturn(results(
                        null,
                        company("401", """
                "name": "Nova Systems", "crm_id": "CRM-42", "industry": "Space", "plan_tier": "Gold", "numberofemployees": "250\"""", "2026-03-04T10:00:00.000Z"),
                        company("402", """
                "name": "Orion Labs", "industry": "Software", "plan_tier": "Silver", "numberofemployees": "many\"""", "2026-03-04T11:00:00.000Z"),
                        company("403", """
                "name": "Vega Retail", "industry": "Retail", "plan_tier": "Bronze", "numberofemployees": "12\"""", "2026-03-04T12:00:00.000Z"))));
        hubspot.stubFor(firstList(MAP, "companies")
                .willReturn(results(
                        null,
                        company("401", """
                "name": "Nova Systems", "crm_id": "CRM-42", "industry": "Space", "plan_tier": "Gold", "numberofemployees": "250\"""", "2026-03-04T10:00:00.000Z"),
                        company("402", """
                "name": "Orion Labs", "industry": "Software", "plan_tier": "Silver", "numberofemployees": "many\"""", "2026-03-04T11:00:00.000Z"),
                        company("403", """
                "name": "Vega Retail", "industry": "Retail", "plan_tier": "Bronze", "numberofemployees": "12\"""", "2026-03-04T12:00:00.000Z"))));
        hubspot.stubFor(firstSearch(MAP, "contacts").willReturn(results(null)));
        hubspot.stubFor(firstSearch(MAP, "deals").willReturn(results(null)));
        hubspot.stubFor(firstList(MAP, "contacts").willReturn(results(null)));
        hubspot.stubFor(firstList(MAP, "deals").willReturn(results(null)));
        send(post("/api/v1/accounts/bulk?source=crm"), """
                        {"records": [{"externalId": "CRM-42", "name": "Nova (ours)", "industry": "Aerospace",
                                      "customFields": {"note": "kept"}}]}""").andExpect(status().isOk());

        send(post("/api/v1/hubspot/sources"), """
                        {"name": "hubspot-map", "token": "%s", "accountsSource": "crm", "externalIdProperty": "crm_id",
                         "paused": true}""".formatted(MAP)).andExpect(status().isCreated());
        mvc.perform(get("/api/v1/hubspot/sources/hubspot-map/mapping?properties=true"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.saved", is(false)))
                .andExpect(jsonPath("$.objects[0].fields[0].target", is("name")))
                .andExpect(jsonPath("$.objects[0].fields[0].standard", is(true)))
                .andExpect(jsonPath("$.objects[0].properties[4].suggested", is("customFields.plan_tier")))
                .andExpect(jsonPath("$.objects[0].properties[1].suggested", is("industry")));

        // Unknown names are named, with the one meant; nothing is kept.
        send(put("/api/v1/hubspot/sources/hubspot-map/mapping"), """
                        {"companies": [{"property": "plan_teir", "target": "customFields.plan_tier"},
                                       {"property": "industry", "target": "industy", "policy": "steward"}],
                         "contacts": [{"property": "jobtitle", "target": "title", "policy": "steward"}]}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("companies[0].property")))
                .andExpect(jsonPath(
                        "$.errors[0].reason", is("is no property of HubSpot's companies; did you mean 'plan_tier'?")))
                .andExpect(jsonPath("$.errors[1].field", is("companies[1].target")))
                .andExpect(jsonPath("$.errors[1].reason", org.hamcrest.Matchers.endsWith("did you mean 'industry'?")))
                .andExpect(jsonPath("$.errors[2].field", is("contacts[0].policy")));
        mvc.perform(get("/api/v1/hubspot/sources/hubspot-map/mapping")).andExpect(jsonPath("$.saved", is(false)));

        send(put("/api/v1/hubspot/sources/hubspot-map/mapping"), """
                        {"companies": [{"property": "plan_tier", "target": "customFields.plan_tier"},
                                       {"property": "industry", "target": "industry", "policy": "steward"},
                                       {"property": "numberofemployees", "target": "employees"}],
                         "contacts": [], "deals": []}""")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.saved", is(true)))
                .andExpect(jsonPath("$.objects[0].fields[1].target", is("customFields.plan_tier")))
                .andExpect(jsonPath("$.objects[1].fields[0].standard", is(true)));

        // The preview reads the first records under the mapping and writes nothing.
        String preview =
                body(post("/api/v1/hubspot/sources/hubspot-map/preview").with(csrf()));
        assertThat((List<String>) JsonPath.read(preview, "$[0].rows[*].action"))
                .containsExactly("link_by_external_id", "reject", "create");
        assertThat((String) JsonPath.read(preview, "$[0].rows[0].account")).isEqualTo("Nova (ours)");
        assertThat((String) JsonPath.read(preview, "$[0].rows[0].values.customFields.plan_tier"))
                .isEqualTo("Gold");
        assertThat((String) JsonPath.read(preview, "$[0].rows[0].values.customFields.note"))
                .isEqualTo("kept");
        assertThat((Map<String, Object>) JsonPath.read(preview, "$[0].rows[0].values"))
                .as("Steward's industry wins, and a linked account keeps its name")
                .doesNotContainKeys("industry", "name")
                .containsEntry("employees", 250);
        assertThat((String) JsonPath.read(preview, "$[0].rows[1].reason"))
                .startsWith("numberofemployees 'many': cannot fill employees");
        assertThat((String) JsonPath.read(preview, "$[0].rows[2].values.industry"))
                .isEqualTo("Retail");
        assertThat(accounts.resolve("hubspot-map", List.of("401", "403"))).isEmpty();
        assertThat(JsonPath.<List<Object>>read(body(get("/api/v1/hubspot/sources/hubspot-map/runs")), "$"))
                .isEmpty();

        mvc.perform(post("/api/v1/hubspot/sources/hubspot-map/start").with(csrf()))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.paused", is(false)));
        waitForRuns("hubspot-map", 3);
        hubspot.verify(WireMock.getRequestedFor(urlPathEqualTo("/crm/v3/objects/companies"))
                .withHeader("Authorization", equalTo("Bearer " + MAP))
                .withQueryParam("properties", WireMock.containing("plan_tier")));
        assertThat(counts(run("hubspot-map", "companies")))
                .containsEntry("updated", 1)
                .containsEntry("created", 1)
                .containsEntry("rejected", 1);
        Map<String, AccountId> pulled = accounts.resolve("hubspot-map", List.of("401", "403"));
        var nova = accounts.get(pulled.get("401"));
        assertThat(nova.name()).isEqualTo("Nova (ours)");
        assertThat(nova.industry()).isEqualTo("Aerospace");
        assertThat(nova.employees()).isEqualTo(250);
        assertThat(nova.customFields()).containsEntry("plan_tier", "Gold").containsEntry("note", "kept");
        var vega = accounts.get(pulled.get("403"));
        assertThat(vega.industry()).isEqualTo("Retail");
        assertThat(vega.customFields()).containsEntry("plan_tier", "Bronze");

        // HubSpot changes Vega: the CRM's plan tier overwrites Steward's, Steward's industry stays.
        // A first load's cursor is the time it began: the search asks for what changed since then.
        hubspot.stubFor(changedSince(MAP, "companies", "hs_lastmodifieddate", LOADED)
                .willReturn(results(null, company("403", """
                        "name": "Vega Retail Group", "industry": "Wholesale", "plan_tier": "Platinum\"""", "2026-03-18T10:20:00.000Z"))));
        hubspot.stubFor(
                changedSince(MAP, "contacts", "lastmodifieddate", LOADED).willReturn(results(null)));
        hubspot.stubFor(
                changedSince(MAP, "deals", "hs_lastmodifieddate", LOADED).willReturn(results(null)));
        pullNow("hubspot-map", 6);
        vega = accounts.get(pulled.get("403"));
        assertThat(vega.name()).isEqualTo("Vega Retail Group");
        assertThat(vega.industry()).isEqualTo("Retail");
        assertThat(vega.customFields()).containsEntry("plan_tier", "Platinum");
    }

    /** HubSpot's properties of an object ({@code GET /crm/v3/properties/<object>}), as the mapping asks for them. */
    private static void properties(String object, String results) {
        hubspot.stubFor(WireMock.get(urlPathEqualTo("/crm/v3/properties/" + object))
                .withHeader("Authorization", equalTo("Bearer " + MAP))
                .willReturn(json(200, """
                        {"results": [%s]}""".formatted(results))));
    }

    private void pullNow(String source, int runs) throws Exception {
        mvc.perform(post("/api/v1/hubspot/sources/" + source + "/pulls").with(csrf()))
                .andExpect(status().isAccepted());
        waitForRuns(source, runs);
    }

    private void score(AccountId account, String day, double score, String color) {
        jdbc.sql("""
                        insert into health_score (account_id, day, scorecard, scorecard_version, score, color, coverage,
                                                  raw, ranks, computed_at)
                        values (?, ?, 'SMB', 1, ?, ?, 1, '{}', '{}', '2026-03-18T00:00:00Z')""")
                .params(account.value(), LocalDate.parse(day), score, color)
                .update();
    }

    @Test
    void aFirstLoadCutOffGoesOnFromThePageItReached() throws Exception {
        send(post("/api/v1/hubspot/sources"), """
                        {"name": "hubspot-cut", "token": "%s"}""".formatted(CUT)).andExpect(status().isCreated());
        waitForRuns("hubspot-cut", 1);
        Map<String, Object> cut = run("hubspot-cut", "companies");
        assertThat(cut).containsEntry("state", "failed").containsEntry("watermarkTo", "load " + LOADED + " 2");
        assertThat(counts(cut)).containsEntry("rowsRead", 1).containsEntry("created", 1);
        assertThat(accounts.resolve("hubspot-cut", List.of("1001"))).hasSize(1);

        pullNow("hubspot-cut", 4);
        Map<String, Object> resumed = run("hubspot-cut", "companies");
        assertThat(resumed)
                .containsEntry("state", "succeeded")
                .containsEntry("watermarkFrom", "load " + LOADED + " 2")
                .containsEntry("watermarkTo", LOADED);
        assertThat(counts(resumed))
                .as("only the second page")
                .containsEntry("rowsRead", 1)
                .containsEntry("created", 1)
                .containsEntry("apiCalls", 1);
        hubspot.verify(
                1,
                getRequestedFor(urlPathEqualTo("/crm/v3/objects/companies"))
                        .withHeader("Authorization", equalTo("Bearer " + CUT))
                        .withQueryParam("after", absent()));
        assertThat(accounts.resolve("hubspot-cut", List.of("1001", "1002"))).hasSize(2);
        assertThat(run("hubspot-cut", "deals")).containsEntry("watermarkTo", LOADED);
    }

    @Test
    void aTokenHubspotRefusesKeepsNothing() throws Exception {
        send(post("/api/v1/hubspot/sources"), """
                        {"name": "hubspot-refused", "token": "pat-na1-wrong"}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("token")))
                .andExpect(jsonPath(
                        "$.errors[0].reason",
                        is("HubSpot refused: Authentication credentials not found. This API supports OAuth 2.0"
                                + " authentication.")));
        send(post("/api/v1/hubspot/sources"), """
                        {"name": "hubspot-empty", "token": " "}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("token")));
        mvc.perform(get("/api/v1/hubspot/sources/hubspot-refused")).andExpect(status().isNotFound());
        assertThat(jdbc.sql("select count(*) from ingest_source where name in ('hubspot-refused', 'hubspot-empty')")
                        .query(Long.class)
                        .single())
                .isZero();
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
                            JsonPath.read(body(get("/api/v1/hubspot/sources/" + source + "/runs")), "$[*].state");
                    return states.size() == count && !states.contains("running");
                });
    }

    /** The latest run of a feed. */
    private Map<String, Object> run(String source, String feed) throws Exception {
        List<Map<String, Object>> runs = JsonPath.read(
                body(get("/api/v1/hubspot/sources/" + source + "/runs")), "$[?(@.feed == '" + feed + "')]");
        return runs.isEmpty() ? null : runs.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> counts(Map<String, Object> run) {
        return (Map<String, Object>) run.get("counts");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> errors(Map<String, Object> run) {
        return (List<Map<String, Object>>) run.get("errors");
    }

    private String body(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request).andReturn().getResponse().getContentAsString();
    }

    private ResultActions send(MockHttpServletRequestBuilder request, String body) throws Exception {
        return mvc.perform(
                request.with(csrf()).contentType(MediaType.APPLICATION_JSON).content(body));
    }

    /** A search of an object with the token, as Steward asks it: pages of 100, oldest change first. */
    static MappingBuilder search(String token, String object) {
        return WireMock.post(urlPathEqualTo("/crm/v3/objects/" + object + "/search"))
                .withHeader("Authorization", equalTo("Bearer " + token))
                .withRequestBody(matchingJsonPath("$.limit", equalTo("100")));
    }

    /** A page of HubSpot's list of an object, as Steward asks it in a first load: 100 a page, archived ones left out. */
    static MappingBuilder list(String token, String object) {
        return WireMock.get(urlPathEqualTo("/crm/v3/objects/" + object))
                .withHeader("Authorization", equalTo("Bearer " + token))
                .withQueryParam("limit", equalTo("100"))
                .withQueryParam("archived", equalTo("false"));
    }

    /** The first page of a search of every record: no filter, no {@code after} (the mapping's preview asks it). */
    static MappingBuilder firstSearch(String token, String object) {
        return search(token, object)
                .withRequestBody(notContaining("filterGroups"))
                .withRequestBody(notContaining("\"after\""));
    }

    /** The first page of a list: no {@code after}. */
    static MappingBuilder firstList(String token, String object) {
        return list(token, object).withQueryParam("after", absent());
    }

    /** A record of a list asked with its companies: these associations ({@code {"id": …, "type": …}}). */
    static String withCompanies(String record, String associations) {
        return record.substring(0, record.lastIndexOf('}')) + """
                , "associations": {"companies": {"results": [%s]}}}""".formatted(associations);
    }

    /** The first page of a search of the records changed at or after {@code since} (epoch milliseconds). */
    static MappingBuilder changedSince(String token, String object, String property, String since) {
        return search(token, object)
                .withRequestBody(matchingJsonPath("$.filterGroups[0].filters[0].propertyName", equalTo(property)))
                .withRequestBody(matchingJsonPath("$.filterGroups[0].filters[0].operator", equalTo("GTE")))
                .withRequestBody(matchingJsonPath(
                        "$.filterGroups[0].filters[0].value",
                        equalTo(Long.toString(Instant.parse(since).toEpochMilli()))))
                .withRequestBody(notContaining("\"after\""));
    }

    /** A company as HubSpot's search answers it, with these properties (JSON members) besides its times. */
    static String company(String id, String properties, String modified) {
        return record(id, properties, "hs_lastmodifieddate", modified);
    }

    static String contact(String id, String properties, String modified) {
        return record(id, properties, "lastmodifieddate", modified);
    }

    static String deal(String id, String properties, String modified) {
        return record(id, properties, "hs_lastmodifieddate", modified);
    }

    static String record(String id, String properties, String modifiedProperty, String modified) {
        return """
                {"id": "%s", "properties": {%s, "createdate": "2025-06-01T10:00:00.000Z", "%s": "%s",
                  "hs_object_id": "%s"},
                 "createdAt": "2025-06-01T10:00:00.000Z", "updatedAt": "%s", "archived": false}""".formatted(id, properties, modifiedProperty, modified, id, modified);
    }

    /** A page of a search: its results, and {@code paging.next.after} when more follow. */
    static ResponseDefinitionBuilder results(String after, String... records) {
        String paging = after == null ? "" : """
                        , "paging": {"next": {"after": "%s", "link": "?after=%s"}}""".formatted(after, after);
        return json(200, """
                {"total": %d, "results": [%s]%s}""".formatted(records.length, String.join(",", records), paging))
                .withHeader("X-HubSpot-RateLimit-Daily", "250000")
                .withHeader("X-HubSpot-RateLimit-Daily-Remaining", "249990");
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }
}
