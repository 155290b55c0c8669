package dev.steward.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.segment.analytics.Analytics;
import com.segment.analytics.Callback;
import com.segment.analytics.messages.GroupMessage;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.Message;
import com.segment.analytics.messages.PageMessage;
import com.segment.analytics.messages.TrackMessage;
import dev.steward.core.TestClock;
import dev.steward.core.TestDatabase;
import dev.steward.customer.Account;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.ContactManagement;
import dev.steward.customer.ContactQuery;
import dev.steward.usage.UsageRecorder;
import dev.steward.usage.UsageSeries;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * The tracking API as real senders use it, over HTTP: Segment's own Java library, and the example messages of
 * Segment's documentation (from {@code ../shared/testdata/vendor/segment} when present) and of our own fixtures.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.class)
@Import(TestClock.class)
// A context (and database) of its own: browser tests that share the default one expect to load the demo company
// into an empty database, and these tests create accounts.
@TestPropertySource(
        properties = {
            "steward.demo.load-on-start=false",
            "steward.admin.password=admin-test-password",
            "steward.ingest.retention-days=90",
            // Segment's documented examples are dated 2012 and 2015: for these tests they are a historical import,
            // which the accepted window of event times must reach back to.
            "steward.ingest.event-time.past=P7300D"
        })
@Tag("postgres")
class SegmentCompatibilityTests {

    /** Beside the repository, or beside the folder of worktrees when the repository is a git worktree. */
    static final Path VENDOR = Stream.of("..", "../..")
            .map(up -> Path.of(up, "shared", "testdata", "vendor", "segment"))
            .filter(Files::isDirectory)
            .findFirst()
            .orElse(Path.of("..", "shared", "testdata", "vendor", "segment"));

    static final Path FIXTURES = Path.of("src", "test", "resources", "segment");

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
    ContactManagement contacts;

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

    @Test
    void segmentsJavaLibraryDeliversToSteward() throws Exception {
        String key = source("java-library", "{\"events\": {\"Report Created\": \"feature.reports\"}}");
        List<Message> delivered = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(4);
        Analytics analytics = Analytics.builder(key)
                .endpoint("http://localhost:" + port)
                .flushQueueSize(10)
                .callback(new Callback() {
                    @Override
                    public void success(Message message) {
                        delivered.add(message);
                        done.countDown();
                    }

                    @Override
                    public void failure(Message message, Throwable throwable) {
                        failures.add(throwable);
                        done.countDown();
                    }
                })
                .build();
        try {
            analytics.enqueue(GroupMessage.builder("lib-acme")
                    .userId("lib-ada")
                    .traits(Map.of("name", "Library Acme", "employees", 42, "plan", "Scale")));
            analytics.enqueue(IdentifyMessage.builder()
                    .userId("lib-ada")
                    .traits(Map.of("name", "Ada", "email", "ada@library.test")));
            analytics.enqueue(
                    TrackMessage.builder("Report Created").userId("lib-ada").properties(Map.of("report", "Churn")));
            analytics.enqueue(PageMessage.builder("Home").userId("lib-ada"));
            analytics.flush();
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            analytics.shutdown();
        }
        assertThat(failures).isEmpty();
        assertThat(delivered).hasSize(4);
        String messageId = delivered.get(0).messageId();
        assertThat(jdbc.sql("select count(*) from segment_event where message_id = ?")
                        .param(messageId)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);

        processor.processPending();
        AccountId acme = accounts.resolve("java-library", List.of("lib-acme")).get("lib-acme");
        Account account = accounts.get(acme);
        assertThat(account.name()).isEqualTo("Library Acme");
        assertThat(account.tier()).isEqualTo("Scale");
        assertThat(account.employees()).isEqualTo(42);
        assertThat(contacts.list(ContactQuery.ofAccount(acme)).items())
                .singleElement()
                .satisfies(c -> assertThat(c.email()).isEqualTo("ada@library.test"));
        // The library stamps messages with the machine's time; Steward corrects it by its own clock, as for any
        // sender whose clock differs.
        LocalDate today = LocalDate.now(clock);
        assertThat(values(acme, today))
                .containsEntry("events", 2L)
                .containsEntry("feature.reports", 1L)
                .containsEntry("active_users", 1L);
    }

    @Test
    void ourOwnFixturesAreAcceptedOrRefusedAsTheSpecSays() throws Exception {
        String key = source("fixtures", "{\"events\": {\"Report Created\": \"feature.reports\"}}");
        for (String name : List.of("group", "identify", "track", "page", "screen", "alias")) {
            HttpResponse<String> answer = post(key, FIXTURES.resolve(name + ".json"));
            assertThat(answer.statusCode()).as(name + ": " + answer.body()).isEqualTo(200);
        }
        HttpResponse<String> batch = post(key, FIXTURES.resolve("batch.json"));
        assertThat(batch.statusCode()).isEqualTo(207);
        JsonNode result = json.readTree(batch.body());
        assertThat(result.get("stored").asInt()).isEqualTo(2);
        assertThat(result.get("errors").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(result.get("errors").get(0).get("field").asString()).isEqualTo("timestamp");
        assertThat(result.get("errors").get(1).get("index").asInt()).isEqualTo(2);
        assertThat(result.get("errors").get(1).get("field").asString()).isEqualTo("userId");

        processor.processPending();
        AccountId account =
                accounts.resolve("fixtures", List.of("fx-account-1")).get("fx-account-1");
        assertThat(accounts.get(account).name()).isEqualTo("Fixture Corp");
        assertThat(accounts.get(account).industry()).isEqualTo("Software");
        assertThat(contacts.list(ContactQuery.ofAccount(account)).items())
                .extracting(c -> c.name())
                .containsExactly("Grace Hopper");
        // track (09:05+02:00 is 07:05 UTC), page (anonymous, by context.groupId), screen (by the user's group).
        assertThat(values(account, LocalDate.parse("2025-05-05")))
                .containsEntry("events", 3L)
                .containsEntry("feature.reports", 1L)
                .containsEntry("active_users", 2L);
        assertThat(values(account, LocalDate.parse("2025-05-06"))).containsEntry("events", 1L);
    }

    @Test
    void segmentsDocumentedExamplesAreAcceptedOrRefusedWithTheReason() throws Exception {
        assumeTrue(Files.isDirectory(VENDOR), "Segment's example payloads are not at " + VENDOR.toAbsolutePath());
        String key = source("vendor-examples", null);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(VENDOR)) {
            files = walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(20);
        Map<String, Integer> statuses = new TreeMap<>();
        List<String> refusals = new ArrayList<>();
        for (Path file : files) {
            HttpResponse<String> answer = post(key, file);
            String name = file.getFileName().toString();
            statuses.put(name, answer.statusCode());
            if (answer.statusCode() != 200) {
                JsonNode body = json.readTree(answer.body());
                body.get("errors")
                        .forEach(e -> refusals.add(name + " " + e.get("field").asString()));
            }
        }
        // Examples that name no user (userId or anonymousId) are refused, as Segment's spec requires one.
        assertThat(statuses)
                .containsEntry("http-api_01_L111.json", 200)
                .containsEntry("http-api_05_L261.json", 200)
                .containsEntry("spec-group_01_L24.json", 400)
                .containsEntry("spec-track_01_L14.json", 400)
                .containsEntry("spec-common_01_L17.json", 200);
        assertThat(statuses.values()).allMatch(s -> s == 200 || s == 207 || s == 400);
        // The batch example's malformed "2015-2-02T00:30:08.276Z" is reported, not guessed.
        assertThat(statuses).containsEntry("http-api_07_L344.json", 207);
        assertThat(refusals)
                .contains("http-api_07_L344.json timestamp")
                .allMatch(r -> r.endsWith(" userId") || r.endsWith(" timestamp"), "only missing users and timestamps");

        processor.processPending();
        AccountId initech =
                accounts.resolve("vendor-examples", List.of("8e9df332ac")).get("8e9df332ac");
        assertThat(accounts.get(initech).name()).isEqualTo("Initech");
        assertThat(accounts.get(initech).employees()).isEqualTo(420);
    }

    private HttpResponse<String> post(String key, Path file) throws IOException, InterruptedException {
        String body = Files.readString(file);
        JsonNode node = json.readTree(body);
        String name = file.getFileName().toString();
        String path = node.has("batch")
                ? "batch"
                : node.has("type") ? node.get("type").asString() : httpApiType(name);
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/" + path))
                        .header("Authorization", TrackingApiTests.basic(key))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The examples of Segment's HTTP API page leave the type to the path they are posted to. */
    private static String httpApiType(String file) {
        if (file.startsWith("spec-b2b-saas")) {
            return "track";
        }
        return switch (file.substring(0, "http-api_01".length())) {
            case "http-api_01", "http-api_08" -> "identify";
            case "http-api_02" -> "track";
            case "http-api_03" -> "page";
            case "http-api_04" -> "screen";
            case "http-api_05" -> "group";
            case "http-api_06" -> "alias";
            default -> throw new IllegalArgumentException("no endpoint known for " + file);
        };
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
