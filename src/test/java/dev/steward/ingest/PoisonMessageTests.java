package dev.steward.ingest;

import static dev.steward.ingest.TrackingApiTests.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.steward.core.StewardTest;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.usage.UsageRecorder;
import dev.steward.usage.UsageSeries;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
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
 * A message the processor cannot apply is set aside, with its reason, and everything else is applied: from its own
 * source and from every other. Text the database cannot store never gets that far: it is refused at the door.
 */
@StewardTest
class PoisonMessageTests {

    private static final AtomicInteger SOURCES = new AtomicInteger();

    @Autowired
    MockMvc mvc;

    @Autowired
    java.time.Clock clock;

    @Autowired
    JdbcClient jdbc;

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

    Sending source() {
        String name = "poison-" + SOURCES.incrementAndGet();
        Source source = administration.create(new SourceAdministration.NewSource(
                name,
                Source.Kind.segment,
                json.readTree("{\"events\": {\"Signed In\": \"logins\"}, \"traits\": {\"name\": \"name\","
                        + " \"industry\": \"industry\"}}"),
                null));
        return new Sending(source, writeKeys.create(name, "test").writeKey());
    }

    ResultActions send(Sending s, String path, String body) throws Exception {
        return mvc.perform(post(path)
                .header(HttpHeaders.AUTHORIZATION, basic(s.key()))
                .contentType(MediaType.APPLICATION_JSON)
                .content(body));
    }

    String groupAndSignIns(String group, String name, String day) {
        return """
                {"batch": [
                  {"type": "group", "userId": "%1$s-user", "groupId": "%1$s", "traits": {"name": "%2$s"}},
                  {"type": "track", "userId": "%1$s-user", "event": "Signed In", "timestamp": "%3$sT09:00:00Z"},
                  {"type": "track", "userId": "%1$s-user", "event": "Signed In", "timestamp": "%3$sT10:00:00Z"}
                ]}""".formatted(group, name, day);
    }

    /**
     * A group call with a NUL in its name, queued as a version that did not refuse NUL at the door stored it: the
     * processor fails on it as it fails on anything it cannot apply.
     */
    void queuePoison(Sending s, String messageId, String group) {
        String day = LocalDate.now(clock).toString();
        String work = "[[\"" + messageId + "\", \"group\", \"" + group + "-user\", null, \"" + group + "\", null, \""
                + day + "T08:00:00Z\", {\"name\": \"Evil\\u0000Corp\", \"industry\": \"Chemicals\"}]]";
        jdbc.sql("""
                        insert into segment_batch (id, source_id, first_day, last_day, events, received_at, work)
                        values (nextval('segment_batch_id'), ?, ?, ?, 1, ?, ?)""")
                .params(
                        s.source().id(),
                        LocalDate.parse(day),
                        LocalDate.parse(day),
                        Timestamp.from(clock.instant()),
                        work)
                .update();
    }

    @Test
    void aPoisonMessageIsQuarantinedWithItsReasonAndEveryOtherMessageOfEverySourceIsApplied() throws Exception {
        Sending first = source();
        Sending second = source();
        String day = LocalDate.now(clock).toString();
        send(first, "/v1/batch", groupAndSignIns("acme", "Acme", day)).andExpect(status().isOk());
        queuePoison(first, "poison-1", "evil");
        send(second, "/v1/batch", groupAndSignIns("globex", "Globex", day)).andExpect(status().isOk());
        send(first, "/v1/batch", groupAndSignIns("initech", "Initech", day)).andExpect(status().isOk());

        processor.processPending();

        assertThat(logins(first, "acme", day)).isEqualTo(2);
        assertThat(logins(first, "initech", day)).isEqualTo(2);
        assertThat(logins(second, "globex", day)).isEqualTo(2);
        assertThat(accounts.resolve(first.source().name(), List.of("evil"))).isEmpty();
        assertThat(jdbc.sql("select count(*) from segment_batch")
                        .query(Long.class)
                        .single())
                .isZero();

        String name = first.source().name();
        mvc.perform(get("/api/v1/sources/" + name + "/quarantine")
                        .with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()", is(1)))
                .andExpect(jsonPath("$[0].messageId", is("poison-1")))
                .andExpect(jsonPath("$[0].type", is("group")))
                .andExpect(jsonPath("$[0].groupId", is("evil")))
                .andExpect(jsonPath("$[0].reason", containsString("NUL")));
        Instant firstQuarantined = administration.quarantined(name, 10).get(0).quarantinedAt();
        mvc.perform(get("/api/v1/sources/" + name + "/status")
                        .with(user("viewer").roles("VIEWER")))
                .andExpect(jsonPath("$.quarantined", is(1)));
        mvc.perform(get("/api/v1/sources/" + second.source().name() + "/status")
                        .with(user("viewer").roles("VIEWER")))
                .andExpect(jsonPath("$.quarantined", is(0)));
        mvc.perform(get("/sources/" + name).with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Quarantined events")))
                .andExpect(content().string(containsString("poison-1")))
                .andExpect(content().string(containsString("NUL")));
        mvc.perform(post("/api/v1/data-quality/refresh")
                        .with(csrf())
                        .with(user("admin").roles("ADMIN")))
                .andExpect(status().isOk());
        mvc.perform(get("/api/v1/data-quality/sources").with(user("viewer").roles("VIEWER")))
                .andExpect(
                        jsonPath("$[?(@.name == '" + name + "')].quarantined").value(1))
                .andExpect(jsonPath("$[?(@.name == '" + second.source().name() + "')].quarantined")
                        .value(0));

        // Replayed as it is, it fails again and is set aside again.
        mvc.perform(post("/api/v1/sources/" + name + "/quarantine/replay")
                        .with(csrf())
                        .with(user("viewer").roles("VIEWER"))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"all\": true}"))
                .andExpect(status().isForbidden());
        // Taken out and queued again (the answer counts it); the processor running in the background may set it
        // aside again at once, so its absence from the quarantine is not asserted in between.
        replay(name, "{\"messageIds\": [\"poison-1\"]}").andExpect(jsonPath("$.replayed", is(1)));
        processor.processPending();
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(administration.quarantined(name, 10))
                        .singleElement()
                        // On the tests' fixed clock, at the same instant: set aside anew, not left where it was.
                        .satisfies(q -> assertThat(q.quarantinedAt()).isAfterOrEqualTo(firstQuarantined)));

        // Fixed: the source no longer takes the account name from its group calls. Replayed, it is applied.
        mvc.perform(put("/api/v1/sources/" + name + "/settings")
                        .with(csrf())
                        .with(user("admin").roles("ADMIN"))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"events\": {\"Signed In\": \"logins\"}, \"traits\": {\"industry\": \"industry\"}}"))
                .andExpect(status().isOk());
        replay(name, "{\"all\": true}").andExpect(jsonPath("$.replayed", is(1)));
        processor.processPending();
        assertThat(administration.quarantined(name, 10)).isEmpty();
        AccountId evil = accounts.resolve(name, List.of("evil")).get("evil");
        assertThat(evil).isNotNull();
        assertThat(accounts.get(evil).industry()).isEqualTo("Chemicals");
    }

    @Test
    void aQuarantinedMessageCanBeDiscarded() throws Exception {
        Sending s = source();
        queuePoison(s, "poison-2", "vile");
        // Even a NUL in the very ids that are set aside with it does not stop the processor.
        queuePoison(s, "poison-3", "bad\\u0000group");
        processor.processPending();
        String name = s.source().name();
        assertThat(administration.quarantined(name, 10))
                .extracting(SourceAdministration.QuarantinedEvent::groupId)
                .containsExactlyInAnyOrder("vile", "bad\\u0000group");
        mvc.perform(post("/sources/" + name + "/quarantine/discard")
                        .with(csrf())
                        .with(user("admin").roles("ADMIN"))
                        .param("messageId", "poison-3"))
                .andExpect(status().isOk());
        mvc.perform(post("/sources/" + name + "/quarantine/discard")
                        .with(csrf())
                        .with(user("admin").roles("ADMIN"))
                        .param("messageId", "poison-2"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("1 event was discarded.")));
        assertThat(administration.quarantined(name, 10)).isEmpty();
        assertThat(accounts.resolve(name, List.of("vile"))).isEmpty();
    }

    @Test
    void textTheDatabaseCannotStoreIsRefusedAtTheDoorNeverAcknowledged() throws Exception {
        Sending s = source();
        String day = LocalDate.now(clock).toString();
        send(s, "/v1/group", """
                        {"userId": "u", "groupId": "nul", "traits": {"name": "Nul\\u0000Corp"}}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field", is("traits.name")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("NUL character (U+0000)")));
        send(s, "/v1/batch", """
                        {"batch": [
                          {"type": "group", "userId": "u", "groupId": "half", "traits": {"name": "Half \\ud83d pair"}},
                          {"type": "track", "userId": "u", "event": "Signed In", "timestamp": "%sT09:00:00Z",
                           "context": {"groupId": "fine"}}
                        ]}""".formatted(day))
                .andExpect(status().isMultiStatus())
                .andExpect(jsonPath("$.stored", is(1)))
                .andExpect(jsonPath("$.errors[0].index", is(0)))
                .andExpect(jsonPath("$.errors[0].field", is("traits.name")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("unpaired surrogate \\ud83d")));
        processor.processPending();
        assertThat(administration.quarantined(s.source().name(), 10)).isEmpty();
        assertThat(accounts.resolve(s.source().name(), List.of("nul", "half"))).isEmpty();
        // Nothing was turned into '?': what is stored holds no surrogate, and the rejections name the escape.
        assertThat(jdbc.sql("select count(*) from segment_event where source_id = ? and payload like '%?%'")
                        .param(s.source().id())
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(administration.status(s.source().name()).latestRejections())
                .anySatisfy(r -> assertThat(r.excerpt()).contains("\\ud83d"));
    }

    ResultActions replay(String source, String body) throws Exception {
        return mvc.perform(post("/api/v1/sources/" + source + "/quarantine/replay")
                        .with(csrf())
                        .with(user("admin").roles("ADMIN"))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body))
                .andExpect(status().isOk());
    }

    long logins(Sending s, String group, String day) {
        AccountId account = accounts.resolve(s.source().name(), List.of(group)).get(group);
        assertThat(account).as("account " + group).isNotNull();
        LocalDate d = LocalDate.parse(day);
        for (UsageSeries series : usage.series(account, null, d, d)) {
            if (series.metric().equals("logins")) {
                return series.points().get(0).value().longValueExact();
            }
        }
        return 0;
    }
}
