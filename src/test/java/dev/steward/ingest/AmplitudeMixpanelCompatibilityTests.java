package dev.steward.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.mixpanel.mixpanelapi.ClientDelivery;
import com.mixpanel.mixpanelapi.MessageBuilder;
import com.mixpanel.mixpanelapi.MixpanelAPI;
import dev.steward.core.TestClock;
import dev.steward.core.TestDatabase;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.usage.UsageRecorder;
import dev.steward.usage.UsageSeries;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.json.JSONObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The Mixpanel endpoints as real senders use them, over HTTP: Mixpanel's own Java library pointed at Steward, and
 * Mixpanel's documented import answers and export example (from {@code ../shared/testdata/vendor/mixpanel} when
 * present). Amplitude's library speaks only HTTPS: {@link AmplitudeLibraryTests}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.class)
@Import(TestClock.class)
// The same context as SegmentCompatibilityTests (one more server and database would cost a minute): the example
// exported by Mixpanel is dated 2020, a historical import the accepted window must reach back to.
@TestPropertySource(
        properties = {
            "steward.demo.load-on-start=false",
            "steward.admin.password=admin-test-password",
            "steward.ingest.retention-days=90",
            "steward.ingest.event-time.past=P7300D"
        })
@Tag("postgres")
class AmplitudeMixpanelCompatibilityTests {

    /** Beside the repository, or beside the folder of worktrees when the repository is a git worktree. */
    static final Path MIXPANEL = Stream.of("..", "../..")
            .map(up -> Path.of(up, "shared", "testdata", "vendor", "mixpanel"))
            .filter(Files::isDirectory)
            .findFirst()
            .orElse(Path.of("..", "shared", "testdata", "vendor", "mixpanel"));

    @LocalServerPort
    int port;

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

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Clock clock;

    @Autowired
    ObjectMapper json;

    final HttpClient http = HttpClient.newHttpClient();

    String source(String name, String settings) {
        administration.create(new SourceAdministration.NewSource(
                name, Source.Kind.segment, settings == null ? null : json.readTree(settings), null));
        return writeKeys.create(name, "test").writeKey();
    }

    long stored(String messageId) {
        return jdbc.sql("select count(*) from segment_event where message_id = ?")
                .param(messageId)
                .query(Long.class)
                .single();
    }

    @Test
    void mixpanelsJavaLibraryDeliversToSteward() throws Exception {
        String key = source("mixpanel-library", "{\"events\": {\"Report Created\": \"feature.reports\"}}");
        sendGroup(key, "mp-lib-ada", "mp-lib-acme");
        MessageBuilder messages = new MessageBuilder(key);
        ClientDelivery delivery = new ClientDelivery();
        for (String report : List.of("Churn", "Renewals")) {
            delivery.addMessage(messages.event(
                    "mp-lib-ada",
                    "Report Created",
                    new JSONObject()
                            .put("report", report)
                            // The library's time is the machine's, in milliseconds; the test's clock is fixed.
                            .put("time", clock.instant().getEpochSecond())
                            .put("$insert_id", "mp-lib-" + report)
                            .put("company_id", "mp-lib-acme")));
        }
        MixpanelAPI mixpanel =
                new MixpanelAPI("http://localhost:" + port + "/track", "http://localhost:" + port + "/engage");
        // Throws unless Steward answers as Mixpanel does.
        mixpanel.deliver(delivery);
        assertThat(stored("mp-lib-Churn")).isEqualTo(1);
        assertThat(stored("mp-lib-Renewals")).isEqualTo(1);

        processor.processPending();
        AccountId acme =
                accounts.resolve("mixpanel-library", List.of("mp-lib-acme")).get("mp-lib-acme");
        assertThat(values(acme, LocalDate.now(clock)))
                .containsEntry("feature.reports", 2L)
                .containsEntry("active_users", 1L);
    }

    @Test
    void mixpanelsDocumentedImportAnswersAndExportExample() throws Exception {
        assumeTrue(
                Files.isDirectory(MIXPANEL),
                "Mixpanel's documented examples are not here: "
                        + MIXPANEL.toAbsolutePath().normalize()
                        + " (../shared/testdata/vendor/mixpanel beside the repository) is absent");
        String key = source("mixpanel-fixtures", null);
        long now = clock.instant().getEpochSecond();

        HttpResponse<String> received = importEvents(key, """
                [{"event": "Signed up", "properties": {"time": %d, "distinct_id": "91304156",
                  "$insert_id": "fixture-received-1"}}]""".formatted(now));
        JsonNode receivedExample = example("ingestion_import_response_StrictReceived.json");
        JsonNode receivedAnswer = json.readTree(received.body());
        assertThat(received.statusCode()).isEqualTo(receivedExample.get("code").asInt());
        assertThat(receivedAnswer.propertyNames()).containsExactlyElementsOf(receivedExample.propertyNames());
        assertThat(receivedAnswer.get("status")).isEqualTo(receivedExample.get("status"));

        JsonNode invalidExample = example("ingestion_import_response_StrictInvalid.json");
        JsonNode failed = invalidExample.get("failed_records").get(0);
        HttpResponse<String> invalid = importEvents(
                key, """
                [{"event": "Signed up", "properties": {"time": "%s", "distinct_id": "91304156",
                  "$insert_id": "%s"}},
                 {"event": "Signed up", "properties": {"time": %d, "distinct_id": "91304156",
                  "$insert_id": "fixture-invalid-2"}}]""".formatted(clock.instant(), failed.get("insert_id").asString(), now));
        JsonNode invalidAnswer = json.readTree(invalid.body());
        assertThat(invalid.statusCode()).isEqualTo(invalidExample.get("code").asInt());
        assertThat(invalidAnswer.propertyNames()).containsExactlyElementsOf(invalidExample.propertyNames());
        assertThat(invalidAnswer.get("status")).isEqualTo(invalidExample.get("status"));
        assertThat(invalidAnswer.get("num_records_imported").asInt()).isEqualTo(1);
        assertThat(invalidAnswer.get("failed_records")).containsExactly(failed);

        HttpResponse<String> unauthorized = importEvents("not-a-secret", "[]");
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(json.readTree(unauthorized.body()))
                .isEqualTo(example("ingestion_import_response_StrictUnauthorized.json"));

        String tooLarge = "[" + " ".repeat(MixpanelController.MAX_REQUEST_BYTES) + "]";
        HttpResponse<String> large = importEvents(key, tooLarge);
        assertThat(large.statusCode()).isEqualTo(413);
        assertThat(json.readTree(large.body())).isEqualTo(example("ingestion_import_response_StrictTooLarge.json"));

        // The raw export's events, sent back as newline-delimited JSON with the distinct_id Steward requires (the
        // example leaves it out): stored once each, under their $insert_id.
        StringBuilder ndjson = new StringBuilder();
        for (String line : Files.readAllLines(MIXPANEL.resolve("export_raw_events_example.jsonl"))) {
            JsonNode event = json.readTree(line);
            ((tools.jackson.databind.node.ObjectNode) event.get("properties")).put("distinct_id", "exported-user");
            ndjson.append(event).append('\n');
        }
        for (int time = 0; time < 2; time++) {
            HttpResponse<String> exported = importEvents(key, ndjson.toString());
            assertThat(exported.statusCode()).as(exported.body()).isEqualTo(200);
            assertThat(json.readTree(exported.body())
                            .get("num_records_imported")
                            .asInt())
                    .isEqualTo(2);
        }
        assertThat(stored("hpuDqcvpltpCjBsebtxwadtEBDnFAdycabFb")).isEqualTo(1);
        assertThat(stored("jajcebutltmvhbbholfhxtCcycwnBjDtndha")).isEqualTo(1);
    }

    JsonNode example(String name) throws Exception {
        return json.readTree(Files.readString(MIXPANEL.resolve(name)));
    }

    HttpResponse<String> importEvents(String secret, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/import?strict=1"))
                        .header(
                                "Authorization",
                                "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString((secret + ":").getBytes(StandardCharsets.UTF_8)))
                        .header("Content-Type", body.startsWith("[") ? "application/json" : "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The account, by a Segment group call on the same source: Amplitude and Mixpanel events carry only its id. */
    void sendGroup(String key, String userId, String groupId) throws Exception {
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/group"))
                        .header("Authorization", TrackingApiTests.basic(key))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"userId\": \"%s\", \"groupId\": \"%s\"}".formatted(userId, groupId)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
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
