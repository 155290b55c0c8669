package dev.steward.ingest.pendo;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
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
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
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
import dev.steward.ingest.Source;
import dev.steward.ingest.Sources;
import dev.steward.ingest.pendo.PendoStore.Feed;
import dev.steward.ingest.sync.SyncRuns;
import dev.steward.usage.UsageRecorder;
import dev.steward.usage.UsageSeries;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
import org.springframework.transaction.PlatformTransactionManager;

/**
 * A Pendo source through the API, against a local server answering with the shapes Pendo documents for its v1 API
 * (the account metadata schema, the feature, page and track type lists, and the Aggregation API: a pipeline over one
 * event source with a {@code dayRange} time series, answered with {@code results} of rows per visitor and day). The
 * key is tried first and kept sealed; the first pull back-fills a month a day at a time, each feed in its run: active
 * visitors and minutes per account and day, the events of each mapped feature, page and track event summed into its
 * metric; a 429 is waited out, a malformed row rejected, an empty day writes nothing, a visitor of no account is
 * skipped and the values of an account Steward does not have are held, then written once it has it. A back-fill
 * followed by incremental pulls gives the same daily values as one pull of the whole span.
 */
@StewardTest
@WithMockUser(roles = "ADMIN")
@TestPropertySource(
        properties = {
            "steward.secrets.key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
            "steward.pendo.calls-per-minute=60000",
            "steward.pendo.backoff=50ms",
            "steward.pendo.max-backoff=200ms"
        })
class PendoPullApiTests {

    static final String KEY = "6f1b3c2a-pendo-key-acme.us";
    static final String EQUIVALENCE_KEY = "7a2c4d3b-pendo-key-same.us";

    static WireMockServer pendo;

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AccountManagement accounts;

    @Autowired
    UsageRecorder usage;

    @Autowired
    Sources sources;

    @Autowired
    PendoSources pendoSources;

    @Autowired
    PendoApi api;

    @Autowired
    PendoStore store;

    @Autowired
    SyncRuns runs;

    @Autowired
    PendoProperties properties;

    @Autowired
    PlatformTransactionManager transactionManager;

    @BeforeAll
    static void startPendo() {
        pendo = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        pendo.start();
        // Pendo refuses a key it does not know with a 401 and a line of text.
        pendo.stubFor(WireMock.get(urlPathEqualTo("/api/v1/metadata/schema/account"))
                .willReturn(aResponse().withStatus(401).withBody("invalid integration key")));
        for (String key : List.of(KEY, EQUIVALENCE_KEY)) {
            pendo.stubFor(WireMock.get(urlPathEqualTo("/api/v1/metadata/schema/account"))
                    .withHeader(PendoApi.HEADER, equalTo(key))
                    .willReturn(json(200, """
                            {"auto": {"id": {"Type": "string", "DisplayName": "Account ID", "isHidden": false,
                                             "isDeleted": false, "isCalculated": false, "isPerApp": false},
                                      "lastvisit": {"Type": "time", "DisplayName": "Last Visit"}},
                             "agent": {"plan": {"Type": "string", "DisplayName": "plan"},
                                       "arr": {"Type": "number", "DisplayName": "ARR"}}}""")));
        }
        pendo.stubFor(WireMock.get(urlPathEqualTo("/api/v1/feature")).willReturn(json(200, """
                        [{"id": "f-export", "name": "Export report", "kind": "Feature", "appId": -323232,
                          "createdAt": 1767225600000, "lastUpdatedAt": 1767225600000},
                         {"id": "f-share", "name": "Share dashboard", "kind": "Feature", "appId": -323232}]""")));
        pendo.stubFor(WireMock.get(urlPathEqualTo("/api/v1/page")).willReturn(json(200, """
                        [{"id": "p-dash", "name": "Dashboard", "kind": "Page", "appId": -323232,
                          "rules": [{"rule": "//*/dashboard"}]}]""")));
        pendo.stubFor(WireMock.get(urlPathEqualTo("/api/v1/tracktype")).willReturn(json(200, """
                        [{"id": "t-signup", "name": "Signed up", "kind": "TrackType", "appId": -323232}]""")));

        // Any day nobody used the app: no rows.
        pendo.stubFor(WireMock.post(urlPathEqualTo("/api/v1/aggregation"))
                .atPriority(10)
                .willReturn(json(200, """
                        {"startTime": 1773619200000, "results": []}""")));

        pendo.stubFor(
                aggregation(KEY, "events", day("2026-03-16")).willReturn(json(200, """
                        {"startTime": 1773619200000, "results": [
                          {"accountId": "acme", "visitorId": "v1", "day": %1$d, "numEvents": 40, "numMinutes": 10,
                           "server": "app.acme.example", "remoteIp": "203.0.113.7", "userAgent": "Mozilla/5.0"},
                          {"accountId": "acme", "visitorId": "v2", "day": %1$d, "numEvents": 12, "numMinutes": 5},
                          {"accountId": "", "visitorId": "anon-1", "day": %1$d, "numEvents": 3, "numMinutes": 1},
                          {"accountId": "acme", "visitorId": "v3", "day": "yesterday", "numEvents": 1,
                           "numMinutes": 1},
                          {"accountId": "ghost", "visitorId": "v9", "day": %1$d, "numEvents": 8, "numMinutes": 3}]}""".formatted(day("2026-03-16")))));
        pendo.stubFor(
                aggregation(KEY, "events", day("2026-03-17")).willReturn(json(200, """
                        {"startTime": 1773705600000, "results": [
                          {"accountId": "acme", "visitorId": "v1", "day": %1$d, "numEvents": 20, "numMinutes": 7,
                           "server": "app.acme.example"},
                          {"accountId": "acme", "visitorId": "v1", "day": %1$d, "numEvents": 9, "numMinutes": 5,
                           "server": "eu.acme.example"}]}""".formatted(day("2026-03-17")))));
        // Features of the 17th: Pendo asks to wait first.
        pendo.stubFor(aggregation(KEY, "featureEvents", day("2026-03-17"))
                .inScenario("rate limited")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "1")
                        .withBody("Too Many Requests"))
                .willSetStateTo("waited"));
        pendo.stubFor(aggregation(KEY, "featureEvents", day("2026-03-17"))
                .inScenario("rate limited")
                .whenScenarioStateIs("waited")
                .willReturn(json(200, """
                        {"startTime": 1773705600000, "results": [
                          {"accountId": "acme", "visitorId": "v1", "featureId": "f-export", "day": %1$d,
                           "numEvents": 3, "numMinutes": 1},
                          {"accountId": "acme", "visitorId": "v2", "featureId": "f-export", "day": %1$d,
                           "numEvents": 4, "numMinutes": 2},
                          {"accountId": "acme", "visitorId": "v2", "featureId": "f-share", "day": %1$d,
                           "numEvents": 9, "numMinutes": 2}]}""".formatted(day("2026-03-17")))));
        pendo.stubFor(aggregation(KEY, "pageEvents", day("2026-03-16"))
                .willReturn(json(200, """
                        {"startTime": 1773619200000, "results": [
                          {"accountId": "acme", "visitorId": "v1", "pageId": "p-dash", "day": %1$d,
                           "numEvents": 5, "numMinutes": 4}]}""".formatted(day("2026-03-16")))));
        pendo.stubFor(aggregation(KEY, "trackEvents", day("2026-03-17"))
                .willReturn(json(200, """
                        {"startTime": 1773705600000, "results": [
                          {"accountId": "acme", "visitorId": "v2", "trackTypeId": "t-signup", "day": %1$d,
                           "numEvents": 2, "numMinutes": 0}]}""".formatted(day("2026-03-17")))));

        pendo.stubFor(WireMock.post(urlPathEqualTo("/api/v1/aggregation"))
                .withHeader(PendoApi.HEADER, equalTo(KEY))
                .withRequestBody(equalToJson("""
                        {"response": {"mimeType": "application/json"},
                         "request": {"pipeline": [{"source": {"accounts": null}}]}}""", false, true))
                .willReturn(json(200, """
                        {"startTime": 1773792000000, "results": [
                          {"accountId": "acme", "metadata": {
                             "auto": {"id": "acme", "firstvisit": 1767225600000, "lastvisit": 1773792000000},
                             "agent": {"plan": "Enterprise", "seats": 40, "company": "ACME"}}},
                          {"accountId": "ghost", "metadata": {"agent": {"plan": "Starter"}}},
                          {"accountId": "nobody", "metadata": {"agent": {"plan": "Free"}}},
                          {"metadata": {"agent": {"plan": "Free"}}}]}""")));

        // The equivalence test's subscription: some usage every day from January on.
        for (LocalDate d = LocalDate.parse("2026-01-01");
                !d.isAfter(LocalDate.parse("2026-03-18"));
                d = d.plusDays(1)) {
            int n = d.getDayOfYear();
            StringBuilder visitors = new StringBuilder();
            for (int v = 0; v <= n % 3; v++) {
                visitors.append(v == 0 ? "" : ",").append("""
                                {"accountId": "same", "visitorId": "u%d", "day": %d, "numEvents": %d, "numMinutes": %d}""".formatted(v, day(d), n + v, n % 7 + v));
            }
            pendo.stubFor(aggregation(EQUIVALENCE_KEY, "events", day(d))
                    .willReturn(json(200, "{\"results\": [" + visitors + "]}")));
            if (n % 4 != 0) {
                pendo.stubFor(aggregation(EQUIVALENCE_KEY, "featureEvents", day(d))
                        .willReturn(json(200, """
                                {"results": [{"accountId": "same", "visitorId": "u0", "featureId": "f-export",
                                              "day": %d, "numEvents": %d, "numMinutes": 1}]}""".formatted(day(d), n % 4))));
            }
        }
    }

    @DynamicPropertySource
    static void pendoApi(DynamicPropertyRegistry registry) {
        registry.add("steward.pendo.api-url", () -> "http://127.0.0.1:" + pendo.port());
    }

    @AfterAll
    static void stopPendo() {
        pendo.stop();
    }

    @Test
    void theFirstPullBackFillsDayByDayAndTheNextGoesOnFromTheCursor() throws Exception {
        String created = send(post("/api/v1/accounts/bulk?source=crm-p"), """
                        {"records": [{"externalId": "acme", "name": "Acme Rockets"}]}""")
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        AccountId acme = new AccountId(java.util.UUID.fromString(JsonPath.read(created, "$.results[0].id")));

        send(post("/api/v1/pendo/sources"), """
                        {"name": "pendo-acme", "integrationKey": "wrong-key", "accountsSource": "crm-p"}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("integrationKey")))
                .andExpect(jsonPath("$.errors[0].reason", is("Pendo refused: Pendo answered 401")));
        mvc.perform(get("/api/v1/pendo/sources/pendo-acme")).andExpect(status().isNotFound());

        send(post("/api/v1/pendo/sources"), """
                        {"name": "pendo-acme", "region": "EU", "integrationKey": "%s", "accountsSource": "crm-p",
                         "backfillMonths": 1, "paused": true}""".formatted(KEY))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.region", is("eu")))
                .andExpect(jsonPath("$.apiHost", is("app.eu.pendo.io")))
                .andExpect(jsonPath("$.timeZone", is("UTC")))
                .andExpect(jsonPath("$.everyMinutes", is(1440)))
                .andExpect(jsonPath("$.visitorsMetric", is("active_users")))
                .andExpect(jsonPath("$.minutesMetric", is("minutes_in_app")))
                .andExpect(jsonPath("$.integrationKey").doesNotExist());
        String stored = jdbc.sql("""
                        select c.secret from ingest_pull_connection c join ingest_source s on s.id = c.source_id
                        where s.name = 'pendo-acme'""").query(String.class).single();
        assertThat(stored).startsWith("gcm1:").doesNotContain(KEY);

        mvc.perform(get("/api/v1/pendo/sources/pendo-acme/mapping"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[*].id", containsInAnyOrder("f-export", "f-share", "p-dash", "t-signup")))
                .andExpect(jsonPath("$[?(@.id == 'p-dash')].name", containsInAnyOrder("Dashboard")));
        send(put("/api/v1/pendo/sources/pendo-acme/mapping"), """
                        {"mappings": [{"kind": "features", "id": "f-export", "metric": "Feature Export"},
                                      {"kind": "pages", "id": "p-dash", "metric": "active_users"}]}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(
                        jsonPath("$.errors[*].field", containsInAnyOrder("mappings[0].metric", "mappings[1].metric")));
        send(put("/api/v1/pendo/sources/pendo-acme/mapping"), """
                        {"mappings": [
                          {"kind": "features", "id": "f-export", "name": "Export report", "metric": "feature.export"},
                          {"kind": "pages", "id": "p-dash", "name": "Dashboard", "metric": "feature.dashboards"},
                          {"kind": "track_events", "id": "t-signup", "name": "Signed up", "metric": "signups"}]}""")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.mappings", hasSize(3)));
        assertThat(usage.metrics()).anySatisfy(m -> {
            assertThat(m.key()).isEqualTo("signups");
            assertThat(m.unit()).isEqualTo("events");
        });

        send(post("/api/v1/pendo/sources/pendo-acme/pulls"), "").andExpect(status().isAccepted());
        waitForRuns("pendo-acme", 5);

        // A month back, a day per request: 18 February to 18 March.
        Map<String, Object> activity = run("pendo-acme", "activity");
        assertThat(activity).containsEntry("state", "partial").containsEntry("watermarkTo", "2026-03-18");
        assertThat(counts(activity))
                .containsEntry("rowsRead", 7)
                .containsEntry("created", 4)
                .containsEntry("rejected", 1)
                .containsEntry("skipped", 3) // a visitor of no account; ghost's two values, held
                .containsEntry("apiCalls", 29);
        assertThat(errors(activity)).singleElement().satisfies(e -> {
            assertThat(e).containsEntry("where", "events row 4 of 2026-03-16");
            assertThat(e).containsEntry("field", "day");
            assertThat(e).containsEntry("value", "yesterday");
        });
        Map<String, Object> features = run("pendo-acme", "features");
        assertThat(features).containsEntry("state", "succeeded");
        assertThat(counts(features))
                .containsEntry("rowsRead", 3)
                .containsEntry("created", 1)
                .containsEntry("skipped", 1) // f-share is not mapped
                .containsEntry("apiCalls", 30); // the 429 and its retry
        assertThat(counts(run("pendo-acme", "pages"))).containsEntry("created", 1);
        assertThat(counts(run("pendo-acme", "track_events"))).containsEntry("created", 1);

        assertThat(values(acme, "2026-03-16", "2026-03-17"))
                .containsEntry("active_users 2026-03-16", "2")
                .containsEntry("minutes_in_app 2026-03-16", "15")
                .containsEntry("active_users 2026-03-17", "1")
                .containsEntry("minutes_in_app 2026-03-17", "12")
                .containsEntry("feature.export 2026-03-17", "7")
                .containsEntry("feature.dashboards 2026-03-16", "5")
                .containsEntry("signups 2026-03-17", "2")
                .hasSize(7);

        pendo.verify(postRequestedFor(urlPathEqualTo("/api/v1/aggregation"))
                .withHeader(PendoApi.HEADER, equalTo(KEY))
                .withRequestBody(equalToJson("""
                        {"response": {"mimeType": "application/json"},
                         "request": {"pipeline": [{"source": {"featureEvents": null,
                           "timeSeries": {"period": "dayRange", "first": %d, "count": 1}}}]}}""".formatted(day("2026-02-18")), false, true)));
        mvc.perform(get("/api/v1/pendo/sources/pendo-acme"))
                .andExpect(jsonPath(
                        "$.feeds[*].cursor",
                        containsInAnyOrder("2026-03-18", "2026-03-18", "2026-03-18", "2026-03-18")))
                .andExpect(jsonPath("$.heldAccounts[0].pendoAccount", is("ghost")))
                .andExpect(jsonPath("$.heldAccounts[0].values", is(2)));

        // Ghost becomes an account; the next pull reads from the cursor (today only) and writes what was held.
        String ghostCreated = send(post("/api/v1/accounts/bulk?source=crm-p"), """
                        {"records": [{"externalId": "ghost", "name": "Ghost Works"}]}""")
                .andReturn()
                .getResponse()
                .getContentAsString();
        AccountId ghost = new AccountId(java.util.UUID.fromString(JsonPath.read(ghostCreated, "$.results[0].id")));
        pendo.resetRequests();
        send(post("/api/v1/pendo/sources/pendo-acme/pulls"), "").andExpect(status().isAccepted());
        waitForRuns("pendo-acme", 10);
        Map<String, Object> again = run("pendo-acme", "activity");
        assertThat(again).containsEntry("watermarkFrom", "2026-03-18").containsEntry("state", "succeeded");
        assertThat(counts(again)).containsEntry("created", 2).containsEntry("apiCalls", 1);
        assertThat(values(ghost, "2026-03-16", "2026-03-16"))
                .containsEntry("active_users 2026-03-16", "1")
                .containsEntry("minutes_in_app 2026-03-16", "3");
        mvc.perform(get("/api/v1/pendo/sources/pendo-acme")).andExpect(jsonPath("$.heldAccounts", hasSize(0)));
        // Each feed read today again, and nothing more (no account field is filled from Pendo yet).
        assertThat(pendo.findAll(postRequestedFor(urlPathEqualTo("/api/v1/aggregation"))))
                .hasSize(4);

        // Pendo's plan and seats fill the tier and employees of the accounts Steward has, and nothing else of them.
        send(put("/api/v1/pendo/sources/pendo-acme/account-fields"), """
                        {"tier": "agent.plan", "name": "agent.company"}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("name")));
        send(put("/api/v1/pendo/sources/pendo-acme/account-fields"), """
                        {"tier": "agent.plan", "employees": "agent.seats", "industry": ""}""")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.accountFields.tier", is("agent.plan")))
                .andExpect(jsonPath("$.accountFields.industry").doesNotExist());
        send(post("/api/v1/pendo/sources/pendo-acme/pulls"), "").andExpect(status().isAccepted());
        waitForRuns("pendo-acme", 15);
        Map<String, Object> accountsRun = run("pendo-acme", "accounts");
        assertThat(accountsRun).containsEntry("state", "partial");
        assertThat(counts(accountsRun))
                .containsEntry("rowsRead", 4)
                .containsEntry("updated", 2)
                .containsEntry("rejected", 1)
                .containsEntry("skipped", 1)
                .containsEntry("apiCalls", 1);
        mvc.perform(get("/api/v1/accounts/" + acme.value()))
                .andExpect(jsonPath("$.name", is("Acme Rockets")))
                .andExpect(jsonPath("$.tier", is("Enterprise")))
                .andExpect(jsonPath("$.employees", is(40)));
        mvc.perform(get("/api/v1/accounts/" + ghost.value())).andExpect(jsonPath("$.tier", is("Starter")));
    }

    @Test
    void aBackFillThenIncrementalPullsGiveTheSameDailyValuesAsOneFullPull() throws Exception {
        send(post("/api/v1/accounts/bulk?source=crm-a"), """
                        {"records": [{"externalId": "same", "name": "Same Co (A)"}]}""").andExpect(status().isOk());
        send(post("/api/v1/accounts/bulk?source=crm-b"), """
                        {"records": [{"externalId": "same", "name": "Same Co (B)"}]}""").andExpect(status().isOk());
        for (String[] s : List.of(new String[] {"pendo-a", "crm-a", "1"}, new String[] {"pendo-b", "crm-b", "2"})) {
            send(post("/api/v1/pendo/sources"), """
                            {"name": "%s", "integrationKey": "%s", "accountsSource": "%s", "backfillMonths": %s,
                             "paused": true}""".formatted(s[0], EQUIVALENCE_KEY, s[1], s[2]))
                    .andExpect(status().isCreated());
            send(put("/api/v1/pendo/sources/" + s[0] + "/mapping"), """
                            {"mappings": [{"kind": "features", "id": "f-export", "metric": "feature.export"}]}""").andExpect(status().isOk());
        }

        // A: the back-fill on 10 March (from 10 February), then the pull of 18 March goes on from the cursor.
        Source a = sources.find("pendo-a").orElseThrow();
        PendoStore.Settings settingsA = store.connection(a.id()).orElseThrow().settings();
        PendoPulls tenthOfMarch = new PendoPulls(
                api,
                store,
                runs,
                sources,
                accounts,
                usage,
                properties,
                transactionManager,
                Clock.fixed(Instant.parse("2026-03-10T16:00:00Z"), ZoneOffset.UTC));
        for (Feed feed : Feed.values()) {
            assertThat(tenthOfMarch.pull(
                            a,
                            settingsA,
                            new PendoApi.Credentials(PendoApi.Region.us, EQUIVALENCE_KEY),
                            feed,
                            SyncRuns.Trigger.manual))
                    .isTrue();
        }
        assertThat(store.cursor(a.id(), Feed.activity)).contains(LocalDate.parse("2026-03-10"));
        pendoSources.pull(a.id(), SyncRuns.Trigger.manual);
        assertThat(store.cursor(a.id(), Feed.features)).contains(LocalDate.parse("2026-03-18"));

        // B: one pull on 18 March, from 18 January.
        Source b = sources.find("pendo-b").orElseThrow();
        pendoSources.pull(b.id(), SyncRuns.Trigger.manual);

        AccountId sameA = accounts.resolve("crm-a", List.of("same")).get("same");
        AccountId sameB = accounts.resolve("crm-b", List.of("same")).get("same");
        Map<String, String> incremental = values(sameA, "2026-02-10", "2026-03-18");
        Map<String, String> full = values(sameB, "2026-02-10", "2026-03-18");
        assertThat(incremental).isEqualTo(full);
        // 37 days of visitors and minutes, and the features of the days not divisible by four.
        assertThat(incremental).hasSize(37 * 2 + 28);
        assertThat(incremental)
                .containsEntry("active_users 2026-03-12", "3") // day 71 of the year: three visitors
                .containsEntry("minutes_in_app 2026-03-12", String.valueOf(1 + 2 + 3))
                .containsEntry("feature.export 2026-03-12", "3");
        assertThat(values(sameB, "2026-01-18", "2026-02-09")).hasSize(23 * 2 + 17);
    }

    @Test
    void aConnectionChangesWhereGivenAndRefusesWhatPendoDoesNotHave() throws Exception {
        send(post("/api/v1/pendo/sources"), """
                        {"name": "pendo-settings", "integrationKey": "%s", "paused": true}""".formatted(KEY))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.accountsSource", is("api")))
                .andExpect(jsonPath("$.backfillMonths", is(3)));
        send(post("/api/v1/pendo/sources"), """
                        {"name": "pendo-settings", "integrationKey": "%s"}""".formatted(KEY)).andExpect(status().isConflict());
        send(post("/api/v1/pendo/sources"), """
                        {"name": "pendo-far", "integrationKey": "%s", "region": "mars"}""".formatted(KEY))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("region")));
        send(patch("/api/v1/pendo/sources/pendo-settings"), """
                        {"timeZone": "Mars/Olympus_Mons"}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("timeZone")));
        send(patch("/api/v1/pendo/sources/pendo-settings"), """
                        {"backfillMonths": 36}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("backfillMonths")));
        send(patch("/api/v1/pendo/sources/pendo-settings"), """
                        {"timeZone": "America/New_York", "everyMinutes": 720, "accountsSource": "crm-p"}""")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.timeZone", is("America/New_York")))
                .andExpect(jsonPath("$.everyMinutes", is(720)))
                .andExpect(jsonPath("$.accountsSource", is("crm-p")))
                .andExpect(jsonPath("$.paused", is(true)));
        send(patch("/api/v1/pendo/sources/pendo-settings"), """
                        {"integrationKey": "revoked-key"}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("integrationKey")));
    }

    /** The account's daily values between the days, as "metric day" → value. */
    private Map<String, String> values(AccountId account, String from, String to) {
        Map<String, String> values = new TreeMap<>();
        for (UsageSeries series : usage.series(account, null, LocalDate.parse(from), LocalDate.parse(to))) {
            for (UsageSeries.Point p : series.points()) {
                values.put(
                        series.metric() + " " + p.day(),
                        p.value().stripTrailingZeros().toPlainString());
            }
        }
        return values;
    }

    private static MappingBuilder aggregation(String key, String eventSource, long first) {
        return WireMock.post(urlPathEqualTo("/api/v1/aggregation"))
                .withHeader(PendoApi.HEADER, equalTo(key))
                .withRequestBody(containing("\"" + eventSource + "\":null"))
                .withRequestBody(
                        matchingJsonPath("$.request.pipeline[0].source.timeSeries.period", equalTo("dayRange")))
                .withRequestBody(matchingJsonPath(
                        "$.request.pipeline[0].source.timeSeries.first", equalTo(String.valueOf(first))));
    }

    private static long day(String day) {
        return day(LocalDate.parse(day));
    }

    private static long day(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    private void waitForRuns(String source, int count) {
        Awaitility.await("the pull of " + source + " ends")
                .pollInSameThread()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    String body = mvc.perform(get("/api/v1/pendo/sources/" + source + "/runs"))
                            .andReturn()
                            .getResponse()
                            .getContentAsString();
                    List<String> states = JsonPath.read(body, "$[*].state");
                    return states.size() == count && !states.contains("running");
                });
    }

    /** The latest run of a feed. */
    private Map<String, Object> run(String source, String feed) throws Exception {
        String body = mvc.perform(get("/api/v1/pendo/sources/" + source + "/runs"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        List<Map<String, Object>> found = JsonPath.read(body, "$[?(@.feed == '" + feed + "')]");
        return found.isEmpty() ? null : found.get(0);
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
