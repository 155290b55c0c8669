package dev.steward.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.steward.core.StewardTest;
import dev.steward.core.TestClock;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.usage.UsageRecorder;
import dev.steward.usage.UsageSeries;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import tools.jackson.databind.ObjectMapper;

/**
 * Amplitude's HTTP V2 and Batch endpoints and Mixpanel's import and track endpoints, with payloads in the forms the
 * vendors document: stored once per insert id, invalid events refused one by one in the vendor's answer while the rest
 * is stored, wrong keys refused as the vendor refuses them, and events of accounts not known yet held until the
 * account appears.
 */
@StewardTest
class AmplitudeMixpanelApiTests {

    private static final AtomicInteger SOURCES = new AtomicInteger();

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Clock clock;

    @Autowired
    ObjectMapper json;

    @Autowired
    SourceAdministration administration;

    @Autowired
    WriteKeys writeKeys;

    @Autowired
    SegmentProcessor processor;

    @Autowired
    AccountManagement accounts;

    @Autowired
    UsageRecorder usage;

    record Sending(Source source, String key) {}

    Sending source(String settings) {
        String name = "vendor-test-" + SOURCES.incrementAndGet();
        Source source = administration.create(new SourceAdministration.NewSource(
                name, Source.Kind.segment, settings == null ? null : json.readTree(settings), null));
        return new Sending(source, writeKeys.create(name, "test").writeKey());
    }

    long stored(Source source) {
        return jdbc.sql("select count(*) from segment_event where source_id = ?")
                .param(source.id())
                .query(Long.class)
                .single();
    }

    /** An event time {@code days} before the test clock's now, in milliseconds. */
    long millisAgo(int days) {
        return TestClock.NOW.minusSeconds(days * 86_400L).toEpochMilli();
    }

    ResultActions amplitude(String path, String body) throws Exception {
        return mvc.perform(post(path).contentType(MediaType.APPLICATION_JSON).content(body));
    }

    ResultActions mixpanelImport(String query, String user, String password, MediaType type, String body)
            throws Exception {
        return mvc.perform(post("/import" + query)
                .header(
                        HttpHeaders.AUTHORIZATION,
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .contentType(type)
                .content(body));
    }

    // Amplitude

    @Test
    void amplitudeEventsAreStoredOnceByInsertIdOnBothEndpoints() throws Exception {
        Sending s = source(null);
        String body = """
                {"api_key": "%s", "events": [
                  {"user_id": "user-20391", "event_type": "Order Completed", "time": %d,
                   "insert_id": "order-88231-completed", "event_properties": {"total": 42}},
                  {"device_id": "C8F9E604-F01A-4BD9", "event_type": "Receipt Emailed", "time": %d,
                   "insert_id": "order-88231-receipt"}
                ]}""".formatted(s.key(), millisAgo(2), millisAgo(2) + 1000);
        amplitude("/2/httpapi", body)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.code", is(200)))
                .andExpect(jsonPath("$.events_ingested", is(2)))
                .andExpect(jsonPath("$.payload_size_bytes", is(body.getBytes(StandardCharsets.UTF_8).length)))
                .andExpect(jsonPath("$.server_upload_time", is(TestClock.NOW.toEpochMilli())));
        amplitude("/batch", body).andExpect(status().isOk()).andExpect(jsonPath("$.events_ingested", is(2)));
        assertThat(stored(s.source())).isEqualTo(2);
        Map<String, Object> row = jdbc.sql(
                        "select user_id, name, occurred_at from segment_event where message_id = 'order-88231-completed'")
                .query()
                .singleRow();
        assertThat(row.get("user_id")).isEqualTo("user-20391");
        assertThat(row.get("name")).isEqualTo("Order Completed");
    }

    @Test
    void anInvalidAmplitudeEventIsNamedInAmplitudesAnswerAndTheRestStored() throws Exception {
        Sending s = source(null);
        long time = millisAgo(1);
        amplitude("/2/httpapi", """
                        {"api_key": "%1$s", "events": [
                          {"user_id": "user-20391", "event_type": "Signed In", "time": %2$d, "insert_id": "ok-1"},
                          {"user_id": "user-20391", "time": %2$d, "insert_id": "no-type"},
                          {"user_id": "user-20391", "event_type": "Signed In", "time": "yesterday"},
                          {"user_id": "abc", "event_type": "Signed In", "time": %2$d},
                          {"user_id": "user-20391", "event_type": "Signed In", "time": 1000}
                        ]}""".formatted(s.key(), time))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code", is(400)))
                .andExpect(jsonPath("$.error", is("Request contains invalid events")))
                .andExpect(jsonPath("$.events_with_missing_fields.event_type", contains(1)))
                .andExpect(jsonPath("$.events_with_invalid_fields.time", contains(2, 4)))
                .andExpect(jsonPath("$.events_with_invalid_fields.user_id", contains(3)))
                .andExpect(jsonPath("$.events_ingested", is(1)))
                .andExpect(jsonPath("$.errors[3].reason", containsString("before the time it was received")));
        assertThat(stored(s.source())).isEqualTo(1);
        assertThat(administration.status(s.source().name()).latestRejections())
                .anySatisfy(r -> assertThat(r.record()).isEqualTo("amplitude[1] (no-type)"));
        // A sender that drops the refused events and sends the rest again, as Amplitude asks, stores nothing twice.
        amplitude("/2/httpapi", """
                        {"api_key": "%s", "events": [
                          {"user_id": "user-20391", "event_type": "Signed In", "time": %d, "insert_id": "ok-1"}
                        ]}""".formatted(s.key(), time)).andExpect(status().isOk());
        assertThat(stored(s.source())).isEqualTo(1);
    }

    @Test
    void amplitudeRefusesAMissingOrUnknownApiKeyAsAmplitudeDoes() throws Exception {
        Sending s = source(null);
        String events = "[{\"user_id\": \"user-20391\", \"event_type\": \"Signed In\"}]";
        amplitude("/2/httpapi", "{\"events\": " + events + "}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error", is("Request missing required field")))
                .andExpect(jsonPath("$.missing_field", is("api_key")));
        amplitude("/2/httpapi", "{\"api_key\": \"not-a-key\", \"events\": " + events + "}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error", startsWith("Invalid API key: ")));
        amplitude("/2/httpapi", "{\"api_key\": \"" + s.key() + "\", \"events\": []}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.missing_field", is("events")));
        amplitude("/2/httpapi", "{\"api_key\": ")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error", is("Invalid JSON request body")));
        assertThat(stored(s.source())).isZero();
    }

    @Test
    void amplitudeEventsOfAnUnknownAccountAreHeldUntilItsGroupArrives() throws Exception {
        Sending s = source("{\"events\": {\"Signed In\": \"logins\"}, \"groupKey\": \"org_id\"}");
        LocalDate day = LocalDate.ofInstant(Instant.ofEpochMilli(millisAgo(20)), ZoneOffset.UTC);
        amplitude("/2/httpapi", """
                        {"api_key": "%1$s", "events": [
                          {"user_id": "amp-ann", "event_type": "Signed In", "time": %2$d,
                           "groups": {"org_id": "amp-initech", "company_id": "not-this-one"}},
                          {"user_id": "amp-bob", "event_type": "Signed In", "time": %2$d,
                           "groups": {"org_id": ["amp-initech"]}}
                        ]}""".formatted(s.key(), millisAgo(20))).andExpect(status().isOk());
        processor.processPending();
        assertThat(administration.status(s.source().name()).held()).isEqualTo(2);

        mvc.perform(
                        post("/v1/group")
                                .header(HttpHeaders.AUTHORIZATION, TrackingApiTests.basic(s.key()))
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(
                                        "{\"userId\": \"amp-ann\", \"groupId\": \"amp-initech\", \"traits\": {\"name\": \"Initech\"}}"))
                .andExpect(status().isOk());
        processor.processPending();

        assertThat(administration.status(s.source().name()).held()).isZero();
        AccountId initech =
                accounts.resolve(s.source().name(), List.of("amp-initech")).get("amp-initech");
        assertThat(values(initech, day)).containsEntry("logins", 2L).containsEntry("active_users", 2L);
    }

    // Mixpanel

    @Test
    void mixpanelImportStoresEventsOnceByInsertIdWithTheProjectSecretOrAServiceAccount() throws Exception {
        Sending s = source(null);
        long seconds = TestClock.NOW.getEpochSecond() - 86_400;
        String events = """
                [
                  {"event": "Signed up", "properties": {"time": %1$d, "distinct_id": "91304156",
                    "$insert_id": "hpuDqcvpltpCjBsebtxwadtEBDnFAdycabFb", "plan": "Scale"}},
                  {"event": "Signed up", "properties": {"time": %1$d.5, "distinct_id": "$device:a1b2c3",
                    "$insert_id": "jajcebutltmvhbbholfhxtCcycwnBjDtndha"}}
                ]""".formatted(seconds);
        mixpanelImport("?strict=1", s.key(), "", MediaType.APPLICATION_JSON, events)
                .andExpect(status().isOk())
                .andExpect(content().json("{\"code\": 200, \"num_records_imported\": 2, \"status\": \"OK\"}", true));
        mixpanelImport("?strict=1&project_id=1", "steward.import.sa", s.key(), MediaType.APPLICATION_JSON, events)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.num_records_imported", is(2)));
        String ndjson = json.readTree(events).get(0).toString() + "\n"
                + json.readTree(events).get(1) + "\n";
        mixpanelImport("", s.key(), "", MediaType.parseMediaType("application/x-ndjson"), ndjson)
                .andExpect(status().isOk());
        assertThat(stored(s.source())).isEqualTo(2);
        Map<String, Object> anonymous = jdbc.sql("select user_id, anonymous_id, occurred_at from segment_event"
                        + " where message_id = 'jajcebutltmvhbbholfhxtCcycwnBjDtndha'")
                .query()
                .singleRow();
        assertThat(anonymous.get("user_id")).isNull();
        assertThat(anonymous.get("anonymous_id")).isEqualTo("a1b2c3");
        assertThat(((java.sql.Timestamp) anonymous.get("occurred_at")).toInstant())
                .isEqualTo(Instant.ofEpochSecond(seconds, 500_000_000));
    }

    @Test
    void anInvalidMixpanelEventIsAFailedRecordInStrictModeAndTheRestIsImported() throws Exception {
        Sending s = source(null);
        long seconds = TestClock.NOW.getEpochSecond() - 3600;
        String events = """
                [
                  {"event": "Signed up", "properties": {"time": %1$d, "distinct_id": "91304156",
                    "$insert_id": "13c0b661-f48b-51cd-ba54-97c5999169c0"}},
                  {"event": "Signed up", "properties": {"time": "2026-03-18", "distinct_id": "91304156",
                    "$insert_id": "13c0b661-f48b-51cd-ba54-97c5999169c1"}},
                  {"event": "", "properties": {"time": %1$d, "distinct_id": "91304156"}},
                  {"event": "Signed up", "properties": {"time": %1$d, "distinct_id": "91304156",
                    "$insert_id": "not an insert id!"}}
                ]""".formatted(seconds);
        mixpanelImport("?strict=1", s.key(), "", MediaType.APPLICATION_JSON, events)
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code", is(400)))
                .andExpect(jsonPath("$.num_records_imported", is(1)))
                .andExpect(jsonPath("$.status", is("Bad Request")))
                .andExpect(jsonPath("$.failed_records[0].index", is(1)))
                .andExpect(jsonPath("$.failed_records[0].insert_id", is("13c0b661-f48b-51cd-ba54-97c5999169c1")))
                .andExpect(jsonPath("$.failed_records[0].field", is("properties.time")))
                .andExpect(jsonPath(
                        "$.failed_records[0].message",
                        is("'properties.time' is invalid: must be specified as seconds since epoch")))
                .andExpect(jsonPath("$.failed_records[1].index", is(2)))
                .andExpect(jsonPath("$.failed_records[1].field", is("event")))
                .andExpect(jsonPath("$.failed_records[2].index", is(3)))
                .andExpect(jsonPath("$.failed_records[2].field", is("properties.$insert_id")));
        assertThat(stored(s.source())).isEqualTo(1);
        // Without strict mode Mixpanel answers 200 for what it imported; the refusals are on the source's page.
        mixpanelImport("?strict=0", s.key(), "", MediaType.APPLICATION_JSON, events)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.num_records_imported", is(1)));
        assertThat(stored(s.source())).isEqualTo(1);
    }

    @Test
    void mixpanelRefusesUnknownCredentialsAndTokensAsMixpanelDoes() throws Exception {
        Sending s = source(null);
        String event = "[{\"event\": \"Signed up\", \"properties\": {\"time\": %d, \"distinct_id\": \"91304156\","
                + " \"token\": \"%s\"}}]";
        long seconds = TestClock.NOW.getEpochSecond();
        mixpanelImport("", "not-a-secret", "", MediaType.APPLICATION_JSON, event.formatted(seconds, s.key()))
                .andExpect(status().isUnauthorized())
                .andExpect(content()
                        .json(
                                "{\"code\": 401, \"error\": \"Invalid credentials\", \"status\": \"Unauthorized\"}",
                                true));
        mvc.perform(post("/import").contentType(MediaType.APPLICATION_JSON).content(event.formatted(seconds, s.key())))
                .andExpect(status().isUnauthorized());
        mvc.perform(post("/track?verbose=1")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(event.formatted(seconds, "not-a-token")))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.status", is(0)));
        assertThat(stored(s.source())).isZero();
    }

    @Test
    void mixpanelTrackTakesJsonOrMixpanelsFormAndStoresNoToken() throws Exception {
        Sending s = source(null);
        long seconds = TestClock.NOW.getEpochSecond() - 60;
        String events = """
                [{"event": "Signed in", "properties": {"token": "%1$s", "time": %2$d, "distinct_id": "mp-cy",
                  "$insert_id": "track-1"}},
                 {"event": "Signed in", "properties": {"token": "%1$s", "distinct_id": "mp-cy",
                  "$insert_id": "track-2"}}]""".formatted(s.key(), seconds);
        mvc.perform(post("/track").contentType(MediaType.APPLICATION_JSON).content(events))
                .andExpect(status().isOk())
                .andExpect(content().string("1"));
        String base64 = Base64.getEncoder().encodeToString(events.getBytes(StandardCharsets.UTF_8));
        mvc.perform(post("/track?ip=0&verbose=1")
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                        .param("data", base64))
                .andExpect(status().isOk())
                .andExpect(content().json("{\"status\": 1, \"error\": null}", true));
        assertThat(stored(s.source())).isEqualTo(2);
        // /track sets the time of an event sent without one to when it arrived.
        assertThat(jdbc.sql("select occurred_at from segment_event where message_id = 'track-2'")
                        .query(java.time.OffsetDateTime.class)
                        .single()
                        .toInstant())
                .isEqualTo(TestClock.NOW);
        assertThat(jdbc.sql("select payload::text from segment_event where source_id = ?")
                        .param(s.source().id())
                        .query(String.class)
                        .list())
                .allSatisfy(payload -> assertThat(payload).doesNotContain(s.key()));
        mvc.perform(post("/track?verbose=1")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                        [{"event": "Signed in", "properties": {"token": "%1$s", "time": %2$d, "distinct_id": "mp-cy",
                          "$insert_id": "track-3"}},
                         {"event": "Signed in", "properties": {"token": "%1$s", "time": %2$d}}]""".formatted(s.key(), seconds)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status", is(0)))
                .andExpect(jsonPath("$.error", containsString("record 1: properties.distinct_id")));
        assertThat(stored(s.source())).isEqualTo(3);
    }

    @Test
    void mixpanelEventsOfAnUnknownAccountAreHeldUntilItsGroupArrives() throws Exception {
        Sending s = source("{\"events\": {\"Signed in\": \"logins\"}}");
        long seconds = TestClock.NOW.getEpochSecond() - 20 * 86_400L;
        LocalDate day = LocalDate.ofInstant(Instant.ofEpochSecond(seconds), ZoneOffset.UTC);
        mixpanelImport("?strict=1", s.key(), "", MediaType.APPLICATION_JSON, """
                        [{"event": "Signed in", "properties": {"time": %1$d, "distinct_id": "mp-dee",
                          "company_id": "mp-globex"}},
                         {"event": "Signed in", "properties": {"time": %1$d, "distinct_id": "mp-eve",
                          "company_id": ["mp-globex"]}}]""".formatted(seconds))
                .andExpect(status().isOk());
        processor.processPending();
        assertThat(administration.status(s.source().name()).held()).isEqualTo(2);

        mvc.perform(
                        post("/v1/group")
                                .header(HttpHeaders.AUTHORIZATION, TrackingApiTests.basic(s.key()))
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(
                                        "{\"userId\": \"mp-dee\", \"groupId\": \"mp-globex\", \"traits\": {\"name\": \"Globex\"}}"))
                .andExpect(status().isOk());
        processor.processPending();

        assertThat(administration.status(s.source().name()).held()).isZero();
        AccountId globex =
                accounts.resolve(s.source().name(), List.of("mp-globex")).get("mp-globex");
        assertThat(values(globex, day)).containsEntry("logins", 2L).containsEntry("active_users", 2L);
    }

    @Test
    void theGroupKeyIsASettingCheckedAndKeptByTheMappingForm() {
        assertThat(SegmentSettings.of(null).groupKey()).isEqualTo("company_id");
        assertThat(SegmentSettings.problems(json.readTree("{\"groupKey\": 7}"), java.util.Set.of()))
                .singleElement()
                .satisfies(e -> assertThat(e.field()).isEqualTo("groupKey"));
        assertThat(SegmentSettings.problems(json.readTree("{\"groupKey\": \"org_id\"}"), java.util.Set.of()))
                .isEmpty();
    }

    Map<String, Long> values(AccountId account, LocalDate day) {
        Map<String, Long> values = new TreeMap<>();
        for (UsageSeries series : usage.series(account, null, day, day)) {
            for (UsageSeries.Point point : series.points()) {
                values.put(series.metric(), point.value().longValueExact());
            }
        }
        return values;
    }
}
