package dev.steward.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.steward.core.StewardTest;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.Contact;
import dev.steward.customer.ContactManagement;
import dev.steward.customer.ContactQuery;
import dev.steward.usage.UsageRecorder;
import dev.steward.usage.UsageSeries;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import tools.jackson.databind.ObjectMapper;

@StewardTest
class TrackingApiTests {

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
    ContactManagement contacts;

    @Autowired
    UsageRecorder usage;

    /** A new Segment source with its write key. */
    record Sending(Source source, String key) {}

    Sending source(String settings) {
        String name = "segment-test-" + SOURCES.incrementAndGet();
        Source source = administration.create(new SourceAdministration.NewSource(
                name, Source.Kind.segment, settings == null ? null : json.readTree(settings), null));
        return new Sending(source, writeKeys.create(name, "test").writeKey());
    }

    ResultActions send(String path, String key, String body) throws Exception {
        return mvc.perform(post(path)
                .header(HttpHeaders.AUTHORIZATION, basic(key))
                .contentType(MediaType.APPLICATION_JSON)
                .content(body));
    }

    static String basic(String key) {
        return "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
    }

    long stored(Source source) {
        return jdbc.sql("select count(*) from segment_event where source_id = ?")
                .param(source.id())
                .query(Long.class)
                .single();
    }

    @Test
    void aTrackCallIsStoredOnceHoweverOftenItIsSent() throws Exception {
        Sending s = source(null);
        String track = """
                {"userId": "u1", "event": "Signed In", "messageId": "m-1", "timestamp": "%sT10:00:00Z"}""".formatted(daysAgo(3));
        send("/v1/track", s.key(), track)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.success", is(true)))
                .andExpect(jsonPath("$.stored", is(1)));
        send("/v1/track", s.key(), track)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.stored", is(0)))
                .andExpect(jsonPath("$.duplicates", is(1)));
        send("/v1/batch", s.key(), "{\"batch\": [" + track.replace("{", "{\"type\": \"track\", ") + "]}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.duplicates", is(1)));
        assertThat(stored(s.source())).isEqualTo(1);
    }

    @Test
    void theWriteKeyMayComeInTheBodyAndAWrongOrRevokedKeyIsRefused() throws Exception {
        Sending s = source(null);
        mvc.perform(post("/v1/identify")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"userId\": \"u1\", \"writeKey\": \"" + s.key() + "\"}"))
                .andExpect(status().isOk());
        send("/v1/identify", "not-a-key", "{\"userId\": \"u1\"}")
                .andExpect(status().isUnauthorized())
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, containsString("Basic")))
                .andExpect(jsonPath("$.detail", containsString("write key")));
        mvc.perform(post("/v1/identify").contentType(MediaType.APPLICATION_JSON).content("{\"userId\": \"u1\"}"))
                .andExpect(status().isUnauthorized());
        WriteKey key = writeKeys.list(s.source().name()).get(0);
        writeKeys.revoke(s.source().name(), key.id());
        send("/v1/identify", s.key(), "{\"userId\": \"u1\"}").andExpect(status().isUnauthorized());
        assertThat(stored(s.source())).isEqualTo(1);
        // The stored payload keeps no write key.
        assertThat(jdbc.sql("select payload::text from segment_event where source_id = ?")
                        .param(s.source().id())
                        .query(String.class)
                        .single())
                .doesNotContain(s.key());
    }

    @Test
    void aBatchWithInvalidMessagesStoresTheValidOnesAndNamesEachInvalidOne() throws Exception {
        Sending s = source(null);
        send("/v1/batch", s.key(), """
                        {"batch": [
                          {"type": "track", "userId": "u1", "event": "Signed In", "timestamp": "%1$sT00:30:08.276Z"},
                          {"type": "track", "userId": "u1", "timestamp": "%1$sT00:30:08.276Z"},
                          {"type": "identify", "userId": "u2", "timestamp": "2015-2-02T00:30:08.276Z"},
                          {"type": "wave", "userId": "u3"},
                          {"type": "page", "name": "Home"},
                          "not an object"
                        ]}""".formatted(daysAgo(2)))
                .andExpect(status().isMultiStatus())
                .andExpect(jsonPath("$.stored", is(1)))
                .andExpect(jsonPath("$.rejected", is(5)))
                .andExpect(jsonPath("$.errors[0].index", is(1)))
                .andExpect(jsonPath("$.errors[0].field", is("event")))
                .andExpect(jsonPath("$.errors[1].index", is(2)))
                .andExpect(jsonPath("$.errors[1].field", is("timestamp")))
                .andExpect(
                        jsonPath("$.errors[1].reason", containsString("'2015-2-02T00:30:08.276Z' is not an ISO 8601")))
                .andExpect(jsonPath("$.errors[2].index", is(3)))
                .andExpect(jsonPath("$.errors[2].field", is("type")))
                .andExpect(jsonPath("$.errors[3].index", is(4)))
                .andExpect(jsonPath("$.errors[3].reason", containsString("userId or an anonymousId")))
                .andExpect(jsonPath("$.errors[4].index", is(5)));
        assertThat(stored(s.source())).isEqualTo(1);
        List<Rejection> rejections = administration.status(s.source().name()).latestRejections();
        assertThat(rejections).hasSize(5);
        assertThat(rejections).anySatisfy(r -> assertThat(r.excerpt()).contains("2015-2-02T00:30:08.276Z"));
    }

    @Test
    void aSingleInvalidMessageIsRefusedWithTheReason() throws Exception {
        Sending s = source(null);
        send("/v1/group", s.key(), "{\"userId\": \"u1\", \"traits\": {\"name\": \"Initech\"}}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field", is("groupId")))
                .andExpect(jsonPath("$.detail", containsString("groupId")));
        send("/v1/track", s.key(), "{\"userId\": \"u1\", \"event\": ")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("not valid JSON")));
        send("/v1/batch", s.key(), "{\"userId\": \"u1\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("'batch' array")));
    }

    @Test
    void messagesOverSegmentsSizeLimitsAreRefused() throws Exception {
        Sending s = source(null);
        String big = "x".repeat(33 * 1024);
        send("/v1/track", s.key(), "{\"userId\": \"u1\", \"event\": \"E\", \"properties\": {\"p\": \"" + big + "\"}}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("32768")));
        String batch = "{\"batch\": [{\"type\": \"track\", \"userId\": \"u1\", \"event\": \"Small\"},"
                + " {\"type\": \"track\", \"userId\": \"u1\", \"event\": \"Big\", \"properties\": {\"p\": \"" + big
                + "\"}}]}";
        send("/v1/batch", s.key(), batch)
                .andExpect(status().isMultiStatus())
                .andExpect(jsonPath("$.errors[0].index", is(1)))
                .andExpect(jsonPath("$.errors[0].reason", containsString("32 KB")));
        StringBuilder huge = new StringBuilder("{\"batch\": [");
        for (int i = 0; i < 20; i++) {
            huge.append(i == 0 ? "" : ",")
                    .append("{\"type\": \"track\", \"userId\": \"u1\", \"event\": \"E\", \"properties\": {\"p\": \"")
                    .append("y".repeat(30 * 1024))
                    .append("\"}}");
        }
        send("/v1/batch", s.key(), huge.append("]}").toString())
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("512000")));
        assertThat(stored(s.source())).isEqualTo(1);
    }

    @Test
    void theTimestampIsCorrectedForTheSendersClock() throws Exception {
        Sending s = source(null);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        // The sender's clock runs an hour fast: it says the event happened 10 s before it sent it.
        Instant senderNow = now.plus(1, ChronoUnit.HOURS);
        send("/v1/batch", s.key(), """
                        {"sentAt": "%s", "batch": [
                          {"type": "track", "userId": "u1", "event": "E", "messageId": "skew", "timestamp": "%s"}]}""".formatted(senderNow, senderNow.minusSeconds(10)))
                .andExpect(status().isOk());
        Instant stored = jdbc.sql("select occurred_at from segment_event where message_id = 'skew'")
                .query(java.sql.Timestamp.class)
                .single()
                .toInstant();
        assertThat(stored).isBetween(now.minusSeconds(12), now.minusSeconds(5));
        String payload = jdbc.sql("select payload::text from segment_event where message_id = 'skew'")
                .query(String.class)
                .single();
        // The message is kept as it was sent.
        assertThat(json.readTree(payload).get("timestamp").asString())
                .isEqualTo(senderNow.minusSeconds(10).toString());
    }

    @Test
    void groupsBecomeAccountsIdentifiesContactsAndTracksUsage() throws Exception {
        Sending s = source("""
                {"events": {"Report Created": "feature.reports", "Signed In": "logins"},
                 "keyFeatures": ["feature.reports"],
                 "traits": {"name": "name", "plan": "tier", "employees": "employees"}}""");
        String day = daysAgo(30).toString();
        send("/v1/batch", s.key(), """
                        {"batch": [
                          {"type": "group", "userId": "ada", "groupId": "acme", "timestamp": "%1$sT09:00:00Z",
                           "traits": {"name": "Acme", "plan": "Enterprise", "employees": 420, "industry": "ignored"}},
                          {"type": "identify", "userId": "ada", "timestamp": "%1$sT09:00:01Z",
                           "traits": {"name": "Ada Lovelace", "email": "ada@acme.test", "title": "CTO"}},
                          {"type": "track", "userId": "ada", "event": "Signed In", "timestamp": "%1$sT09:01:00Z"},
                          {"type": "track", "userId": "ada", "event": "Report Created", "timestamp": "%1$sT09:02:00Z"},
                          {"type": "track", "userId": "bob", "event": "Report Created", "timestamp": "%1$sT10:00:00Z",
                           "context": {"groupId": "acme"}},
                          {"type": "page", "userId": "bob", "name": "Home", "timestamp": "%1$sT10:01:00Z",
                           "context": {"groupId": "acme"}}
                        ]}""".formatted(day)).andExpect(status().isOk());
        processor.processPending();

        AccountId acme = accounts.resolve(s.source().name(), List.of("acme")).get("acme");
        assertThat(acme).isNotNull();
        var account = accounts.get(acme);
        assertThat(account.name()).isEqualTo("Acme");
        assertThat(account.tier()).isEqualTo("Enterprise");
        assertThat(account.employees()).isEqualTo(420);
        assertThat(account.industry()).isNull();
        List<Contact> people = contacts.list(ContactQuery.ofAccount(acme)).items();
        assertThat(people).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("Ada Lovelace");
            assertThat(c.email()).isEqualTo("ada@acme.test");
            assertThat(c.externalId()).isEqualTo("ada");
            assertThat(c.source()).isEqualTo(s.source().name());
        });
        LocalDate d = LocalDate.parse(day);
        assertThat(values(acme, d))
                .containsEntry("events", 4L)
                .containsEntry("logins", 1L)
                .containsEntry("feature.reports", 2L)
                .containsEntry("active_users", 2L)
                .containsEntry("active_users_7d", 2L)
                .containsEntry("active_users_30d", 2L)
                .containsEntry("key_features_used", 1L);

        // Processing again changes nothing; more events add to the day's totals.
        processor.processPending();
        assertThat(values(acme, d)).containsEntry("events", 4L);
        send("/v1/track", s.key(), """
                        {"userId": "ada", "event": "Signed In", "timestamp": "%sT18:00:00Z"}""".formatted(day)).andExpect(status().isOk());
        processor.processPending();
        assertThat(values(acme, d))
                .containsEntry("events", 5L)
                .containsEntry("logins", 2L)
                .containsEntry("active_users", 2L);
        assertThat(values(acme, d.plusDays(3)))
                .containsEntry("active_users_7d", 2L)
                .doesNotContainKey("active_users");
    }

    @Test
    void eventsOfAnAccountNotKnownYetAreHeldAndCountedWhenItAppears() throws Exception {
        Sending s = source("{\"events\": {\"Signed In\": \"logins\"}}");
        String day = daysAgo(20).toString();
        send("/v1/batch", s.key(), """
                        {"batch": [
                          {"type": "track", "userId": "cy", "event": "Signed In", "timestamp": "%1$sT08:00:00Z"},
                          {"type": "track", "userId": "dee", "event": "Signed In", "timestamp": "%1$sT08:00:00Z",
                           "context": {"groupId": "globex"}},
                          {"type": "identify", "userId": "cy", "timestamp": "%1$sT08:00:00Z",
                           "traits": {"email": "cy@globex.test"}}
                        ]}""".formatted(day)).andExpect(status().isOk());
        processor.processPending();
        assertThat(administration.status(s.source().name()).held()).isEqualTo(3);
        assertThat(accounts.resolve(s.source().name(), List.of("globex"))).isEmpty();

        send("/v1/group", s.key(), """
                        {"userId": "cy", "groupId": "globex", "traits": {"name": "Globex"}}""").andExpect(status().isOk());
        processor.processPending();

        assertThat(administration.status(s.source().name()).held()).isZero();
        AccountId globex =
                accounts.resolve(s.source().name(), List.of("globex")).get("globex");
        assertThat(values(globex, LocalDate.parse(day)))
                .containsEntry("logins", 2L)
                .containsEntry("active_users", 2L);
        assertThat(contacts.list(ContactQuery.ofAccount(globex)).items())
                .singleElement()
                .satisfies(c -> assertThat(c.name()).isEqualTo("cy@globex.test"));
    }

    @Autowired
    SegmentRetention retention;

    @Autowired
    SegmentEvents segmentEvents;

    @Test
    void rawEventsPastTheRetentionPeriodAreDroppedAndTheirRollupsKept() throws Exception {
        Sending s = source(null);
        LocalDate old = LocalDate.now(clock).minusDays(200);
        LocalDate recent = LocalDate.now(clock).minusDays(1);
        send("/v1/batch", s.key(), """
                        {"batch": [
                          {"type": "group", "userId": "old", "groupId": "vintage", "traits": {"name": "Vintage"}},
                          {"type": "track", "userId": "old", "event": "E", "timestamp": "%sT12:00:00Z"},
                          {"type": "track", "userId": "old", "event": "E", "timestamp": "%sT12:00:00Z"}
                        ]}""".formatted(old, recent)).andExpect(status().isOk());
        processor.processPending();
        assertThat(segmentEvents.existingPartitions()).contains(old, recent);

        retention.removeExpired();

        assertThat(segmentEvents.existingPartitions()).doesNotContain(old).contains(recent);
        AccountId vintage =
                accounts.resolve(s.source().name(), List.of("vintage")).get("vintage");
        assertThat(values(vintage, old)).containsEntry("events", 1L);
        assertThat(values(vintage, recent)).containsEntry("events", 1L);
    }

    @Test
    void timesOutsideTheAcceptedWindowAreRefusedPerEventNeverWithA500() throws Exception {
        Sending s = source(null);
        String today = daysAgo(0).toString();
        send("/v1/batch", s.key(), """
                        {"batch": [
                          {"type": "track", "userId": "u", "event": "E", "messageId": "y0", "timestamp": "0000-01-01T00:00:00Z"},
                          {"type": "track", "userId": "u", "event": "E", "messageId": "y9", "timestamp": "9999-12-31T23:59:59Z"},
                          {"type": "track", "userId": "u", "event": "E", "messageId": "ok", "timestamp": "%sT00:00:00Z"}
                        ]}""".formatted(today))
                .andExpect(status().isMultiStatus())
                .andExpect(jsonPath("$.stored", is(1)))
                .andExpect(jsonPath("$.rejected", is(2)))
                .andExpect(jsonPath("$.errors[0].externalId", is("y0")))
                .andExpect(jsonPath("$.errors[0].field", is("timestamp")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("days before the time it was received")))
                .andExpect(jsonPath("$.errors[1].externalId", is("y9")))
                .andExpect(jsonPath("$.errors[1].reason", containsString("days after the time it was received")));
        send("/v1/track", s.key(), """
                        {"userId": "u", "event": "E", "timestamp": "9999-12-31T23:59:59Z"}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field", is("timestamp")));
        assertThat(segmentEvents.existingPartitions())
                .allSatisfy(day -> assertThat(day.getYear()).isBetween(2000, 2100));
    }

    @Test
    void oneRequestOpensAtMostThirtyOneNewDaysNewestFirst() throws Exception {
        Sending s = source(null);
        // 40 days, a year ago: none has a partition yet.
        LocalDate first = daysAgo(400);
        StringBuilder batch = new StringBuilder("{\"batch\": [");
        for (int d = 0; d < 40; d++) {
            batch.append(d == 0 ? "" : ",")
                    .append("{\"type\": \"track\", \"userId\": \"u\", \"event\": \"E\", \"messageId\": \"d")
                    .append(d)
                    .append("\", \"timestamp\": \"")
                    .append(first.plusDays(d))
                    .append("T12:00:00Z\"}");
        }
        send("/v1/batch", s.key(), batch.append("]}").toString())
                .andExpect(status().isMultiStatus())
                .andExpect(jsonPath("$.stored", is(31)))
                .andExpect(jsonPath("$.rejected", is(9)))
                .andExpect(jsonPath("$.errors[0].externalId", is("d0")))
                .andExpect(jsonPath("$.errors[8].externalId", is("d8")))
                .andExpect(jsonPath(
                        "$.errors[0].reason",
                        containsString("one of 40 days this request would add to the event store; one request may"
                                + " add at most 31")));
        assertThat(segmentEvents.existingPartitions())
                .contains(first.plusDays(9), first.plusDays(39))
                .doesNotContain(first, first.plusDays(8));
    }

    @Test
    void retentionDropsDaysLaterThanAnyEventMayNowFallOn() {
        // Left by a version that accepted any time: a partition in 2300.
        LocalDate far = LocalDate.of(2300, 1, 1);
        segmentEvents.ensurePartitions(List.of(far, daysAgo(0).plusDays(1)));
        retention.removeExpired();
        assertThat(segmentEvents.existingPartitions())
                .doesNotContain(far)
                .contains(daysAgo(0).plusDays(1));
    }

    @Test
    void aSourceRenamesAnExistingAccountOnlyWhenAnAdministratorAllowsIt() throws Exception {
        Sending s = source(null);
        String name = s.source().name();
        send("/v1/group", s.key(), """
                        {"userId": "ada", "groupId": "acme", "traits": {"name": "Acme", "industry": "Software"}}""").andExpect(status().isOk());
        processor.processPending();
        AccountId acme = accounts.resolve(name, List.of("acme")).get("acme");
        assertThat(accounts.get(acme).name()).isEqualTo("Acme");

        // Anyone holding the write key (it is in the browser's code) tries to rename the account.
        send("/v1/group", s.key(), """
                        {"userId": "eve", "groupId": "acme",
                         "traits": {"name": "=HYPERLINK(\\"http://evil.test\\",\\"Acme\\")", "industry": "Retail"}}""").andExpect(status().isOk());
        processor.processPending();
        assertThat(accounts.get(acme).name()).isEqualTo("Acme");
        assertThat(accounts.get(acme).industry()).isEqualTo("Retail");

        // An administrator lets this source set names, and no longer industries, on the data sources page.
        mvc.perform(post("/sources/" + name + "/accounts")
                        .with(csrf())
                        .with(user("admin").roles("ADMIN"))
                        .param("create", "true")
                        .param("update", "name", "employees"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("data-testid=\"accounts-saved\"")));
        send("/v1/group", s.key(), """
                        {"userId": "ada", "groupId": "acme", "traits": {"name": "Acme Corp", "industry": "Mining"}}""").andExpect(status().isOk());
        processor.processPending();
        assertThat(accounts.get(acme).name()).isEqualTo("Acme Corp");
        assertThat(accounts.get(acme).industry()).isEqualTo("Retail");

        // Through the API: this source may not create accounts at all.
        mvc.perform(put("/api/v1/sources/" + name + "/settings")
                        .with(csrf())
                        .with(user("admin").roles("ADMIN"))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"accounts\": {\"create\": false, \"update\": [\"tier\"]}}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.settings.accounts.create", is(false)));
        send("/v1/group", s.key(), """
                        {"userId": "bob", "groupId": "newco", "traits": {"name": "NewCo"}}""").andExpect(status().isOk());
        processor.processPending();
        assertThat(accounts.resolve(name, List.of("newco"))).isEmpty();
        assertThat(administration.status(name).latestRejections())
                .anySatisfy(r -> assertThat(r.reason()).contains("this source may not create accounts"));
        assertThat(administration.settingsProblems(json.readTree("""
                        {"accounts": {"create": "yes", "update": ["colour"], "delete": true}}""")))
                .extracting(e -> e.field() + ": " + e.reason())
                .containsExactlyInAnyOrder(
                        "accounts.create: must be true or false, got \"yes\"",
                        "accounts.update[0]: must name an account field, one of " + SegmentSettings.ACCOUNT_FIELDS
                                + "; got \"colour\"",
                        "accounts.delete: is not an accounts setting; the settings are create and update");
    }

    @Test
    void settingsAreCheckedWithPreciseReasons() {
        assertThat(administration.settingsProblems(json.readTree("""
                        {"events": {"Report Created": "reports_created", "Signed In": "active_users"},
                         "keyFeatures": ["feature.dashboards"], "traits": {"plan": "colour"}, "mapping": {}}""")))
                .extracting(e -> e.field() + ": " + e.reason())
                .anySatisfy(e -> assertThat(e).startsWith("events.Report Created: unknown metric 'reports_created'"))
                .anySatisfy(e -> assertThat(e).startsWith("events.Signed In: 'active_users' is computed"))
                .anySatisfy(e -> assertThat(e).startsWith("keyFeatures[0]: 'feature.dashboards' is not the metric"))
                .anySatisfy(e -> assertThat(e).startsWith("traits.plan: must name an account field"))
                .anySatisfy(e -> assertThat(e).startsWith("mapping: is not a setting"));
    }

    LocalDate daysAgo(int days) {
        return LocalDate.now(clock).minusDays(days);
    }

    Map<String, Long> values(AccountId account, LocalDate day) {
        Map<String, Long> values = new java.util.TreeMap<>();
        for (UsageSeries series : usage.series(account, null, day, day)) {
            for (UsageSeries.Point point : series.points()) {
                values.put(series.metric(), point.value().longValueExact());
            }
        }
        return values;
    }
}
