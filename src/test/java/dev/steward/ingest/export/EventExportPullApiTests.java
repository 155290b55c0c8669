package dev.steward.ingest.export;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
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
import dev.steward.core.TestClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Amplitude and Mixpanel export sources through the API, against a local server answering with the vendors' documented
 * shapes: Amplitude's Export API (a zip archive of one gzipped JSON-lines file per hour; 404 for a range with no data;
 * a 429 waited out for its Retry-After) and Mixpanel's raw export (JSON lines, gzipped on the way when asked; an empty
 * day; a line that is no event). The first pull back-fills, a later one reads only the days since, and the two together
 * store what one pull of all the days stores; an event both exported and sent to Steward's Amplitude endpoint is
 * stored once. The clock is the test clock (2026-03-18T10:15:30Z, so the last complete day is 2026-03-17) until a test
 * moves it a day on and back.
 */
@StewardTest
@WithMockUser(roles = "ADMIN")
@TestPropertySource(
        properties = {
            "steward.secrets.key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
            "steward.event-exports.mixpanel-calls-per-hour=360000",
            "steward.event-exports.amplitude-calls-per-hour=360000",
            "steward.event-exports.backoff=50ms",
            "steward.event-exports.max-backoff=200ms",
            "steward.event-exports.batch=2"
        })
class EventExportPullApiTests {

    static final Path MIXPANEL_EXAMPLE = Path.of("../shared/testdata/vendor/mixpanel/export_raw_events_example.jsonl");

    static final SettableClock CLOCK = new SettableClock();

    static WireMockServer vendor;

    @TestBean(name = "fixedClock", methodName = "settableClock")
    Clock clock;

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    static Clock settableClock() {
        return CLOCK;
    }

    @BeforeAll
    static void startVendor() throws IOException {
        vendor = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        vendor.start();
        // Credentials the vendors do not know.
        vendor.stubFor(WireMock.get(urlPathEqualTo("/api/2/export"))
                .willReturn(aResponse().withStatus(401).withBody("Invalid Api-Key")));
        vendor.stubFor(WireMock.get(urlPathEqualTo("/api/2.0/export"))
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": \"Invalid service account credentials\", \"status\": \"error\"}")));

        // Amplitude, project 187520: the check (yesterday's first hour, no data), then three days.
        vendor.stubFor(amplitude("acme-key:acme-secret", "20260317T00", "20260317T00")
                .willReturn(aResponse().withStatus(404).withBody("Raw data files were not found.")));
        vendor.stubFor(amplitude("acme-key:acme-secret", "20260315T00", "20260315T23")
                .willReturn(zip(Map.of(
                        "187520/187520_2026-03-15_10#0.json.gz", """
                        {"event_type": "Report Created", "user_id": "ada@acme.example", "device_id": "d-ada-1", \
                        "event_time": "2026-03-15 10:12:00.123000", "server_upload_time": "2026-03-15 10:12:01.000000", \
                        "insert_id": "amp-1", "uuid": "7b3c1c1e-0a6e-4d5e-9a5e-0c6f8a1b2c01", \
                        "groups": {"company_id": ["acme"]}, "event_properties": {"format": "pdf"}, \
                        "user_properties": {"plan": "pro"}}
                        {"event_type": "Dashboard Viewed", "user_id": "bob@acme.example", "device_id": null, \
                        "event_time": "2026-03-15 10:40:05.000000", "$insert_id": "amp-2", \
                        "uuid": "7b3c1c1e-0a6e-4d5e-9a5e-0c6f8a1b2c02", "groups": {"company_id": "acme"}}
                        """, "187520/187520_2026-03-15_11#0.json.gz", """
                        {"event_type": "Report Created", "user_id": "cy@acme.example", \
                        "event_time": "2026-03-15 11:01:00.000000", "uuid": "7b3c1c1e-0a6e-4d5e-9a5e-0c6f8a1b2c03", \
                        "groups": {"company_id": ["acme"]}}
                        {"event_type": "Report Created", "user_id": "dee@acme.example", "event_time": "2026-03
                        {"user_id": "eve@acme.example", "event_time": "2026-03-15 11:30:00.000000", "insert_id": "amp-bad"}
                        """))));
        vendor.stubFor(amplitude("acme-key:acme-secret", "20260316T00", "20260316T23")
                .willReturn(aResponse().withStatus(404).withBody("Raw data files were not found.")));
        vendor.stubFor(amplitude("acme-key:acme-secret", "20260317T00", "20260317T23")
                .inScenario("amplitude rate limit")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1"))
                .willSetStateTo("waited"));
        vendor.stubFor(amplitude("acme-key:acme-secret", "20260317T00", "20260317T23")
                .inScenario("amplitude rate limit")
                .whenScenarioStateIs("waited")
                .willReturn(zip(Map.of("187520/187520_2026-03-17_08#0.json.gz", """
                        {"event_type": "Report Created", "user_id": "ada@acme.example", \
                        "event_time": "2026-03-17 08:00:00.000000", "insert_id": "amp-4", \
                        "groups": {"company_id": ["acme"]}}
                        """))));

        // Amplitude, another project: one event also sent to Steward's endpoint.
        vendor.stubFor(
                amplitude("twin-key:twin-secret", "20260317T00", "20260317T00").willReturn(zip(Map.of())));
        vendor.stubFor(amplitude("twin-key:twin-secret", "20260317T00", "20260317T23")
                .willReturn(zip(Map.of("9/9_2026-03-17_09#0.json.gz", """
                        {"event_type": "Report Created", "user_id": "ada@twin.example", "device_id": "d-ada-2", \
                        "event_time": "2026-03-17 09:00:00.000000", "insert_id": "twin-1", \
                        "groups": {"company_id": ["twin"]}}
                        {"event_type": "Report Created", "user_id": "ada@twin.example", \
                        "event_time": "2026-03-17 09:30:00.000000", "insert_id": "twin-2", \
                        "groups": {"company_id": ["twin"]}}
                        """))));

        // Amplitude, a project whose day is larger than the 4 GB one answer may hold: 400, then an hour at a time.
        String big = "Basic " + Base64.getEncoder().encodeToString("big-key:big-secret".getBytes());
        vendor.stubFor(WireMock.get(urlPathEqualTo("/api/2/export"))
                .withHeader("Authorization", equalTo(big))
                .willReturn(aResponse().withStatus(404).withBody("Raw data files were not found.")));
        vendor.stubFor(amplitude("big-key:big-secret", "20260317T00", "20260317T23")
                .willReturn(aResponse()
                        .withStatus(400)
                        .withBody("Raw data files were too large. Please narrow the time range or contact support.")));
        vendor.stubFor(amplitude("big-key:big-secret", "20260317T09", "20260317T09")
                .willReturn(zip(Map.of("5/5_2026-03-17_09#0.json.gz", """
                        {"event_type": "Report Created", "user_id": "ada@big.example", \
                        "event_time": "2026-03-17 09:15:00.000000", "insert_id": "big-1", \
                        "groups": {"company_id": ["big"]}}
                        """))));

        // Amplitude behind a proxy that answers a page of its own with 200.
        vendor.stubFor(amplitude("proxied-key:proxied-secret", "20260317T00", "20260317T00")
                .willReturn(aResponse().withStatus(404)));
        vendor.stubFor(amplitude("proxied-key:proxied-secret", "20260317T00", "20260317T23")
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "text/html")
                        .withBody("<html><body>Please sign in</body></html>")));

        // Mixpanel, project 2195193: JSON lines per day, an empty day, a line that is no event.
        mixpanelDay("acme-sa.1.mp-service-account:sa-secret", "2026-03-15", """
                {"event":"Report Created","properties":{"time":1773570000,"distinct_id":"ada@acme.example",\
                "$insert_id":"mp-1","company_id":"acme","mp_processing_time_ms":1773570001874}}
                {"event":"Dashboard Viewed","properties":{"time":1773571000,"distinct_id":"bob@acme.example",\
                "company_id":["acme"],"mp_processing_time_ms":1773571001000}}
                """);
        mixpanelDay("acme-sa.1.mp-service-account:sa-secret", "2026-03-16", "");
        mixpanelDay("acme-sa.1.mp-service-account:sa-secret", "2026-03-17", """
                {"event":"Report Created","properties":{"time":1773740000,"distinct_id":"ada@acme.example",\
                "$insert_id":"mp-3","company_id":"acme"}}
                {"event":"Report Created","properties":{"time":"yesterday","distinct_id":"bob@acme.example",\
                "$insert_id":"mp-bad","company_id":"acme"}}
                {"event":"Report Created","properties":
                {"event":"Dashboard Viewed","properties":{"time":1773741000.5,"distinct_id":"$device:d-77",\
                "$insert_id":"mp-4","company_id":"acme"}}
                """);
        mixpanelDay("acme-sa.1.mp-service-account:sa-secret", "2026-03-18", """
                {"event":"Report Created","properties":{"time":1773830000,"distinct_id":"ada@acme.example",\
                "$insert_id":"mp-5","company_id":"acme"}}
                """);
    }

    @DynamicPropertySource
    static void vendorApis(DynamicPropertyRegistry registry) {
        registry.add("steward.event-exports.amplitude-url", () -> "http://127.0.0.1:" + vendor.port());
        registry.add("steward.event-exports.mixpanel-url", () -> "http://127.0.0.1:" + vendor.port());
    }

    @AfterAll
    static void stopVendor() {
        vendor.stop();
    }

    @Test
    void anAmplitudeBackfillReadsEachDaysZipOfHourlyFiles() throws Exception {
        send(post("/api/v1/event-exports"), """
                        {"name": "amplitude-acme", "vendor": "amplitude", "region": "eu", "apiKey": "acme-key",
                         "secretKey": "acme-secret", "backfillDays": 3, "paused": true}""")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.vendor", is("amplitude")))
                .andExpect(jsonPath("$.apiHost", is("analytics.eu.amplitude.com")))
                .andExpect(jsonPath("$.signedInAs", is("API key acme-key")))
                .andExpect(jsonPath("$.nextDay", is("2026-03-15")))
                .andExpect(jsonPath("$.lastCompleteDay", is("2026-03-17")))
                .andExpect(jsonPath("$.secretKey").doesNotExist());
        String stored = jdbc.sql("""
                        select c.secret from ingest_pull_connection c join ingest_source s on s.id = c.source_id
                        where s.name = 'amplitude-acme'""").query(String.class).single();
        assertThat(stored).startsWith("gcm1:").doesNotContain("acme-secret");

        pullAndWait("amplitude-acme", 1);
        Map<String, Object> run = latestRun("amplitude-acme");
        assertThat(run)
                .containsEntry("state", "partial")
                .containsEntry("feed", "events")
                .containsEntry("watermarkTo", "2026-03-17");
        assertThat(run.get("watermarkFrom")).isNull();
        assertThat(counts(run))
                .containsEntry("rowsRead", 6)
                .containsEntry("created", 4)
                .containsEntry("unchanged", 0)
                .containsEntry("rejected", 2)
                .as("one request a day, and the 429 before the last")
                .containsEntry("apiCalls", 4);
        List<Map<String, Object>> errors = errors(run);
        assertThat(errors.get(0))
                .containsEntry("where", "187520_2026-03-15_11#0.json.gz line 2")
                .satisfies(e -> assertThat((String) e.get("reason")).startsWith("is not JSON"));
        assertThat(errors.get(1))
                .containsEntry("where", "187520_2026-03-15_11#0.json.gz line 3 (amp-bad)")
                .containsEntry("field", "event_type")
                .containsEntry("reason", "is required: the name of the event");

        assertThat(events("amplitude-acme"))
                .containsExactly(
                        "amp-1 Report Created ada@acme.example acme 2026-03-15T10:12:00.123Z",
                        "amp-2 Dashboard Viewed bob@acme.example acme 2026-03-15T10:40:05Z",
                        "7b3c1c1e-0a6e-4d5e-9a5e-0c6f8a1b2c03 Report Created cy@acme.example acme 2026-03-15T11:01:00Z",
                        "amp-4 Report Created ada@acme.example acme 2026-03-17T08:00:00Z");
        String basic = "Basic " + Base64.getEncoder().encodeToString("acme-key:acme-secret".getBytes());
        vendor.verify(getRequestedFor(urlPathEqualTo("/api/2/export"))
                .withQueryParam("start", equalTo("20260316T00"))
                .withQueryParam("end", equalTo("20260316T23"))
                .withHeader("Authorization", equalTo(basic)));
        mvc.perform(get("/api/v1/event-exports/amplitude-acme"))
                .andExpect(jsonPath("$.pulledThrough", is("2026-03-17")))
                .andExpect(jsonPath("$.nextDay", is("2026-03-18")))
                .andExpect(jsonPath("$.feeds[0].cursor", is("2026-03-17")));

        // Nothing complete since: the next pull reads no day.
        pullAndWait("amplitude-acme", 2);
        assertThat(latestRun("amplitude-acme"))
                .containsEntry("state", "succeeded")
                .containsEntry("watermarkFrom", "2026-03-17");
        assertThat(counts(latestRun("amplitude-acme")))
                .containsEntry("rowsRead", 0)
                .containsEntry("apiCalls", 0);
    }

    @Test
    void anAmplitudeDayTooLargeForOneAnswerIsReadAnHourAtATime() throws Exception {
        send(post("/api/v1/event-exports"), """
                        {"name": "amplitude-big", "vendor": "amplitude", "apiKey": "big-key",
                         "secretKey": "big-secret", "backfillDays": 1, "paused": true}""").andExpect(status().isCreated());
        pullAndWait("amplitude-big", 1);
        assertThat(latestRun("amplitude-big")).containsEntry("state", "succeeded");
        assertThat(counts(latestRun("amplitude-big")))
                .containsEntry("rowsRead", 1)
                .containsEntry("created", 1)
                .as("the day refused, then its 24 hours (23 of them with no data)")
                .containsEntry("apiCalls", 25);
        assertThat(events("amplitude-big"))
                .containsExactly("big-1 Report Created ada@big.example big 2026-03-17T09:15:00Z");
    }

    @Test
    void anAnswerThatIsNoZipArchiveFailsThePullAndKeepsTheDayToRead() throws Exception {
        send(post("/api/v1/event-exports"), """
                        {"name": "amplitude-proxied", "vendor": "amplitude", "apiKey": "proxied-key",
                         "secretKey": "proxied-secret", "backfillDays": 1, "paused": true}""").andExpect(status().isCreated());
        pullAndWait("amplitude-proxied", 1);
        Map<String, Object> run = latestRun("amplitude-proxied");
        assertThat(run).containsEntry("state", "failed");
        assertThat((String) run.get("failure"))
                .startsWith("Amplitude's export is not a zip archive (it begins with '<htm')")
                .contains("the next pull reads again from the day after the last one pulled completely");
        mvc.perform(get("/api/v1/event-exports/amplitude-proxied"))
                .andExpect(jsonPath("$.pulledThrough").doesNotExist())
                .andExpect(jsonPath("$.nextDay", is("2026-03-17")));
    }

    @Test
    void aMixpanelBackfillReadsJsonLinesSkipsAnEmptyDayAndReportsWhatIsNoEvent() throws Exception {
        send(post("/api/v1/event-exports"), """
                        {"name": "mixpanel-acme", "vendor": "mixpanel", "region": "eu", "projectId": "2195193",
                         "username": "acme-sa.1.mp-service-account", "secret": "sa-secret", "backfillDays": 3,
                         "paused": true}""")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.apiHost", is("data-eu.mixpanel.com")))
                .andExpect(jsonPath("$.projectId", is("2195193")))
                .andExpect(jsonPath("$.groupKey", is("company_id")));
        pullAndWait("mixpanel-acme", 1);
        Map<String, Object> run = latestRun("mixpanel-acme");
        assertThat(run).containsEntry("state", "partial").containsEntry("watermarkTo", "2026-03-17");
        assertThat(counts(run))
                .containsEntry("rowsRead", 6)
                .containsEntry("created", 4)
                .containsEntry("rejected", 2)
                .containsEntry("apiCalls", 3);
        assertThat(errors(run).get(0))
                .as("refused when its batch was stored")
                .containsEntry("where", "export of 2026-03-17 line 2 (mp-bad)")
                .containsEntry("field", "properties.time");
        assertThat(errors(run).get(1))
                .containsEntry("where", "export of 2026-03-17 line 3")
                .satisfies(e -> assertThat((String) e.get("reason")).startsWith("is not JSON"));
        List<String> events = events("mixpanel-acme");
        assertThat(events)
                .hasSize(4)
                .contains(
                        "mp-1 Report Created ada@acme.example acme 2026-03-15T10:20:00Z",
                        "mp-3 Report Created ada@acme.example acme 2026-03-17T09:33:20Z",
                        "mp-4 Dashboard Viewed null acme 2026-03-17T09:50:00.500Z");
        assertThat(events)
                .as("an event exported without $insert_id gets one made of its name, user and time")
                .anyMatch(e -> e.matches("[0-9a-f-]{36} Dashboard Viewed bob@acme.example acme 2026-03-15T10:36:40Z"));
        vendor.verify(getRequestedFor(urlPathEqualTo("/api/2.0/export"))
                .withQueryParam("from_date", equalTo("2026-03-16"))
                .withQueryParam("to_date", equalTo("2026-03-16"))
                .withQueryParam("project_id", equalTo("2195193"))
                .withHeader(
                        "Authorization",
                        equalTo("Basic "
                                + Base64.getEncoder()
                                        .encodeToString("acme-sa.1.mp-service-account:sa-secret".getBytes()))));
    }

    @Test
    void aBackfillThenADayLaterStoresWhatOnePullOfEveryDayStores() throws Exception {
        send(post("/api/v1/event-exports"), """
                        {"name": "mixpanel-steps", "vendor": "mixpanel", "projectId": "2195193",
                         "username": "acme-sa.1.mp-service-account", "secret": "sa-secret", "backfillDays": 2,
                         "paused": true}""").andExpect(status().isCreated());
        pullAndWait("mixpanel-steps", 1);
        assertThat(latestRun("mixpanel-steps")).containsEntry("watermarkTo", "2026-03-17");
        try {
            CLOCK.set(TestClock.NOW.plus(Duration.ofDays(1)));
            pullAndWait("mixpanel-steps", 2);
            assertThat(latestRun("mixpanel-steps"))
                    .containsEntry("watermarkFrom", "2026-03-17")
                    .containsEntry("watermarkTo", "2026-03-18");
            assertThat(counts(latestRun("mixpanel-steps")))
                    .containsEntry("rowsRead", 1)
                    .containsEntry("created", 1)
                    .as("only the day since")
                    .containsEntry("apiCalls", 1);

            send(post("/api/v1/event-exports"), """
                            {"name": "mixpanel-whole", "vendor": "mixpanel", "projectId": "2195193",
                             "username": "acme-sa.1.mp-service-account", "secret": "sa-secret", "backfillDays": 3,
                             "paused": true}""").andExpect(status().isCreated());
            pullAndWait("mixpanel-whole", 1);
            assertThat(latestRun("mixpanel-whole")).containsEntry("watermarkTo", "2026-03-18");
            assertThat(latestRun("mixpanel-whole").get("watermarkFrom")).isNull();
        } finally {
            CLOCK.set(TestClock.NOW);
        }
        List<String> whole = events("mixpanel-whole");
        assertThat(whole).hasSize(3);
        assertThat(events("mixpanel-steps")).containsExactlyElementsOf(whole);
    }

    @Test
    void anEventBothExportedAndSentToTheEndpointIsStoredOnce() throws Exception {
        send(post("/api/v1/event-exports"), """
                        {"name": "amplitude-twin", "vendor": "amplitude", "apiKey": "twin-key",
                         "secretKey": "twin-secret", "backfillDays": 1, "paused": true}""").andExpect(status().isCreated());
        String created = send(post("/api/v1/sources/amplitude-twin/write-keys"), "{\"name\": \"sdk\"}")
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getContentAsString();
        String writeKey = JsonPath.read(created, "$.writeKey");
        mvc.perform(post("/2/httpapi").contentType(MediaType.APPLICATION_JSON).content("""
                        {"api_key": "%s", "events": [{"event_type": "Report Created", "user_id": "ada@twin.example",
                         "device_id": "d-ada-2", "time": 1773738000000, "insert_id": "twin-1",
                         "groups": {"company_id": "twin"}}]}""".formatted(writeKey)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.events_ingested", is(1)));

        pullAndWait("amplitude-twin", 1);
        assertThat(counts(latestRun("amplitude-twin")))
                .containsEntry("rowsRead", 2)
                .containsEntry("created", 1)
                .as("twin-1, sent before")
                .containsEntry("unchanged", 1);
        assertThat(events("amplitude-twin"))
                .containsExactly(
                        "twin-1 Report Created ada@twin.example twin 2026-03-17T09:00:00Z",
                        "twin-2 Report Created ada@twin.example twin 2026-03-17T09:30:00Z");
    }

    @Test
    void mixpanelsDocumentedExportExampleReplaysThroughThePull() throws Exception {
        Assumptions.assumeTrue(
                Files.isRegularFile(MIXPANEL_EXAMPLE),
                "../shared/testdata/vendor/mixpanel/export_raw_events_example.jsonl is absent (../shared not checked"
                        + " out beside this repository)");
        mixpanelDay("replay-sa:replay-secret", "2026-03-17", Files.readString(MIXPANEL_EXAMPLE));
        send(post("/api/v1/event-exports"), """
                        {"name": "mixpanel-replay", "vendor": "mixpanel", "projectId": "1",
                         "username": "replay-sa", "secret": "replay-secret", "backfillDays": 1, "paused": true}""").andExpect(status().isCreated());
        pullAndWait("mixpanel-replay", 1);
        Map<String, Object> run = latestRun("mixpanel-replay");
        // The example's events carry no distinct_id (and date from 2020): Steward counts users, so it refuses them.
        assertThat(counts(run)).containsEntry("rowsRead", 2).containsEntry("rejected", 2);
        assertThat(errors(run))
                .extracting(e -> e.get("where") + " " + e.get("field"))
                .containsExactly(
                        "export of 2026-03-17 line 1 (hpuDqcvpltpCjBsebtxwadtEBDnFAdycabFb) properties.distinct_id",
                        "export of 2026-03-17 line 2 (jajcebutltmvhbbholfhxtCcycwnBjDtndha) properties.distinct_id");
        assertThat(events("mixpanel-replay")).isEmpty();
    }

    @Test
    void credentialsTheVendorRefusesKeepNothing() throws Exception {
        send(post("/api/v1/event-exports"), """
                        {"name": "amplitude-refused", "vendor": "amplitude", "apiKey": "acme-key",
                         "secretKey": "wrong"}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("secretKey")))
                .andExpect(jsonPath("$.errors[0].reason", is("Amplitude refused: Amplitude answered 401")));
        send(post("/api/v1/event-exports"), """
                        {"name": "mixpanel-refused", "vendor": "mixpanel", "projectId": "2195193",
                         "username": "acme-sa.1.mp-service-account", "secret": "wrong"}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("secret")))
                .andExpect(jsonPath("$.errors[0].reason", is("Mixpanel refused: Invalid service account credentials")));
        send(post("/api/v1/event-exports"), """
                        {"name": "mixpanel-no-project", "vendor": "mixpanel", "username": "u", "secret": "s"}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("projectId")));
        send(post("/api/v1/event-exports"), """
                        {"name": "heap-acme", "vendor": "heap"}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("vendor")));
        mvc.perform(get("/api/v1/event-exports/amplitude-refused")).andExpect(status().isNotFound());
        assertThat(jdbc.sql(
                                "select count(*) from ingest_source where name like '%-refused' or name like '%-no-project'")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    /** Starts a pull by hand and waits for the source's {@code count}th run to end. */
    private void pullAndWait(String source, int count) throws Exception {
        mvc.perform(post("/api/v1/event-exports/" + source + "/pulls").with(csrf()))
                .andExpect(status().isAccepted());
        Awaitility.await("the pull of " + source + " ends")
                .pollInSameThread()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    String body = mvc.perform(get("/api/v1/event-exports/" + source + "/runs"))
                            .andReturn()
                            .getResponse()
                            .getContentAsString();
                    List<String> states = JsonPath.read(body, "$[*].state");
                    return states.size() == count && !states.contains("running");
                });
    }

    private Map<String, Object> latestRun(String source) throws Exception {
        String body = mvc.perform(get("/api/v1/event-exports/" + source + "/runs"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        return JsonPath.read(body, "$[0]");
    }

    /** The source's stored events: messageId, name, user, account, time; by time. */
    private List<String> events(String source) {
        return jdbc.sql("""
                        select e.message_id, e.name, e.user_id, e.group_id, e.occurred_at from segment_event e
                        join ingest_source s on s.id = e.source_id where s.name = ? order by e.occurred_at""")
                .param(source)
                .query((rs, n) -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " "
                        + rs.getString(4) + " " + rs.getTimestamp(5).toInstant())
                .list();
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

    private static MappingBuilder amplitude(String credentials, String start, String end) {
        return WireMock.get(urlPathEqualTo("/api/2/export"))
                .withQueryParam("start", equalTo(start))
                .withQueryParam("end", equalTo(end))
                .withHeader(
                        "Authorization",
                        equalTo("Basic " + Base64.getEncoder().encodeToString(credentials.getBytes())));
    }

    /** Mixpanel's raw export of one day, as JSON lines (text/plain, as Mixpanel answers). */
    static void mixpanelDay(String credentials, String day, String lines) {
        vendor.stubFor(WireMock.get(urlPathEqualTo("/api/2.0/export"))
                .withQueryParam("from_date", equalTo(day))
                .withQueryParam("to_date", equalTo(day))
                .withHeader(
                        "Authorization", equalTo("Basic " + Base64.getEncoder().encodeToString(credentials.getBytes())))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "text/plain; charset=utf-8")
                        .withBody(lines)));
    }

    /** Amplitude's answer: a zip archive of gzipped JSON-lines files, by name. */
    static ResponseDefinitionBuilder zip(Map<String, String> files) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                for (Map.Entry<String, String> file : new java.util.TreeMap<>(files).entrySet()) {
                    zip.putNextEntry(new ZipEntry(file.getKey()));
                    ByteArrayOutputStream gz = new ByteArrayOutputStream();
                    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
                        out.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                    }
                    zip.write(gz.toByteArray());
                    zip.closeEntry();
                }
            }
            return aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/zip")
                    .withBody(bytes.toByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The application's clock: the test clock's instant until a test sets another. */
    static final class SettableClock extends Clock {
        private final AtomicReference<Instant> now = new AtomicReference<>(TestClock.NOW);

        void set(Instant instant) {
            now.set(instant);
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
