package dev.steward.customer;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.steward.StewardApplication;
import dev.steward.core.BulkResult;
import dev.steward.core.TestDatabase;
import dev.steward.identity.TestApiKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two complete Steward instances on one database receive, at the same moment, many requests that create the same
 * records by external id, as two copies of an importer or a retrying client do. The database decides who creates each
 * record: every external id ends up with exactly one record, every request is answered without a server error, and
 * every answer names that one record.
 */
@Tag("postgres")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrentUpsertsTests {

    private static final int PARALLEL = 16;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<ConfigurableApplicationContext> instances = new ArrayList<>();
    private String database;
    private String key;

    @BeforeAll
    void startTwoInstances() {
        database = TestDatabase.createDatabase();
        // One after the other: the first migrates the empty database, the second finds it migrated.
        instances.add(start(database));
        instances.add(start(database));
        key = TestApiKeys.readWrite(instances.get(0), "admin@steward.local");
    }

    @AfterAll
    void stopInstances() {
        for (int i = instances.size() - 1; i >= 0; i--) {
            instances.get(i).close();
        }
    }

    @Test
    void parallelBulkUpsertsOfTheSameAccountsCreateEachAccountOnce() throws Exception {
        List<String> records = IntStream.range(0, 50)
                .mapToObj(i ->
                        "{\"externalId\": \"bulk-%03d\", \"name\": \"Bulk %03d\", \"tier\": \"SMB\"}".formatted(i, i))
                .collect(Collectors.toCollection(ArrayList::new));
        List<Answer> answers = inParallel(request -> {
            // Half the senders list the records the other way round, so their writes meet in opposite orders.
            List<String> mine = new ArrayList<>(records);
            if (request % 2 == 1) {
                Collections.reverse(mine);
            }
            return post(request, "/api/v1/accounts/bulk?source=crm", "{\"records\": " + mine + "}");
        });

        assertThat(answers)
                .as("answers")
                .allSatisfy(a -> assertThat(a.status()).as(a.body()).isEqualTo(200));
        assertThat(count("select count(*) from account where name like 'Bulk %'"))
                .as("accounts stored for 50 external ids sent %d times at once", PARALLEL)
                .isEqualTo(50);
        assertThat(count("select count(*) from account a where name like 'Bulk %' and not exists"
                        + " (select 1 from account_external_id e where e.account_id = a.id)"))
                .as("accounts without their external id")
                .isZero();
        assertThat(idsAnswered(answers, "bulk-007"))
                .as("ids answered for bulk-007")
                .hasSize(1);
    }

    @Test
    void parallelOneRecordUpsertsOfOneAccountCreateIt() throws Exception {
        List<Answer> answers = inParallel(request -> post(
                request,
                "/api/v1/accounts/bulk?source=crm",
                "{\"records\": [{\"externalId\": \"solo\", \"name\": \"Solo Ltd\"}]}"));

        assertThat(answers).allSatisfy(a -> assertThat(a.status()).as(a.body()).isEqualTo(200));
        assertThat(count("select count(*) from account where name = 'Solo Ltd'"))
                .isEqualTo(1);
        assertThat(statuses(answers)).containsOnlyOnce("created");
        assertThat(idsAnswered(answers, "solo")).hasSize(1);
    }

    @Test
    void theSameImportRunTwiceAtOnceOnEachInstanceStoresEachAccountOnce() throws Exception {
        List<AccountInput> rows = IntStream.range(0, 200)
                .mapToObj(i -> new AccountInput(
                        "row-" + i,
                        "Imported " + i,
                        null,
                        null,
                        "Mid-Market",
                        "Software",
                        "EMEA",
                        10 + i,
                        null,
                        null,
                        LifecycleStage.ADOPTION,
                        Map.of(),
                        Map.of()))
                .toList();
        List<BulkResult> results = inParallel(
                4,
                copy -> () ->
                        instances.get(copy % 2).getBean(AccountManagement.class).upsert("csv", rows, false));

        assertThat(results).allSatisfy(r -> assertThat(r.rejected()).isZero());
        assertThat(count("select count(*) from account where name like 'Imported %'"))
                .as("accounts after importing the same 200 rows four times at once")
                .isEqualTo(200);
        assertThat(results.stream().mapToInt(BulkResult::created).sum())
                .as("accounts reported created")
                .isEqualTo(200);
    }

    @Test
    void parallelUpsertsOfAccountRecordsAndActivityStoreEachOnceWithoutServerErrors() throws Exception {
        assertThat(post(0, "/api/v1/accounts/bulk?source=erp", """
                        {"records": [{"externalId": "erp-1", "name": "Erp One"},
                                     {"externalId": "erp-2", "name": "Erp Two"}]}""").status()).isEqualTo(200);
        IntFunction<String> contacts =
                n -> "{\"externalId\": \"con-%d\", \"accountExternalId\": \"erp-%d\",".formatted(n, 1 + n % 2)
                        + " \"name\": \"Person %d\"}".formatted(n);
        // Each odd contract renews the one before it, which the same request creates.
        IntFunction<String> contracts = n -> ("{\"externalId\": \"ctr-%d\", \"accountExternalId\": \"erp-1\","
                        + " \"startDate\": \"%d-01-01\", \"endDate\": \"%d-01-01\", \"arr\": %d%s}")
                .formatted(
                        n,
                        2000 + n,
                        2001 + n,
                        1000 + n,
                        n % 2 == 1 ? ", \"previousContractExternalId\": \"ctr-" + (n - 1) + "\"" : "");
        IntFunction<String> opportunities = n -> ("{\"externalId\": \"opp-%d\", \"accountExternalId\": \"erp-%d\","
                        + " \"name\": \"Deal %d\", \"type\": \"expansion\", \"stage\": \"negotiation\"}")
                .formatted(n, 1 + n % 2, n);
        IntFunction<String> tickets = n -> ("{\"externalId\": \"tic-%d\", \"accountExternalId\": \"erp-%d\","
                        + " \"openedAt\": \"2026-11-01T10:00:00Z\", \"subject\": \"Help %d\"}")
                .formatted(n, 1 + n % 2, n);
        Map<String, IntFunction<String>> kinds = Map.of(
                "/api/v1/contacts/bulk", contacts,
                "/api/v1/contracts/bulk", contracts,
                "/api/v1/opportunities/bulk", opportunities,
                "/api/v1/tickets/bulk", tickets);

        for (Map.Entry<String, IntFunction<String>> kind : kinds.entrySet()) {
            List<Answer> answers = inParallel(request -> {
                List<String> records = IntStream.range(0, 30)
                        .mapToObj(kind.getValue())
                        .collect(Collectors.toCollection(ArrayList::new));
                if (request % 2 == 1) {
                    Collections.reverse(records);
                }
                return post(request, kind.getKey() + "?source=erp", "{\"records\": " + records + "}");
            });
            assertThat(answers)
                    .as(kind.getKey())
                    .allSatisfy(a -> assertThat(a.status()).as(a.body()).isEqualTo(200));
            String externalId = kind.getValue().apply(7).replaceAll(".*\"externalId\": \"([^\"]+)\".*", "$1");
            assertThat(idsAnswered(answers, externalId))
                    .as("ids answered for %s", externalId)
                    .hasSize(1)
                    .doesNotContainNull();
        }
        for (String table : List.of("contact", "contract", "opportunity", "ticket")) {
            assertThat(count("select count(*) from " + table + " where source = 'erp'"))
                    .as(table + " rows for 30 external ids sent %d times at once", PARALLEL)
                    .isEqualTo(30);
        }
    }

    @Test
    void aRenewalCreatedWithTheContractItRenewsSurvivesAnotherRequestCreatingThatContractFirst() throws Exception {
        assertThat(post(0, "/api/v1/accounts/bulk?source=billing", """
                        {"records": [{"externalId": "bill-1", "name": "Billing One"}]}""").status())
                .isEqualTo(200);
        String first = "{\"externalId\": \"term-%d-1\", \"accountExternalId\": \"bill-1\", \"startDate\":"
                + " \"2025-01-01\", \"endDate\": \"2026-01-01\", \"arr\": 1000}";
        String renewal = "{\"externalId\": \"term-%d-2\", \"accountExternalId\": \"bill-1\", \"startDate\":"
                + " \"2026-01-01\", \"endDate\": \"2027-01-01\", \"arr\": 1100, \"previousContractExternalId\":"
                + " \"term-%d-1\"}";
        for (int round = 0; round < 5; round++) {
            int r = round;
            // Half the requests send the first term alone, half send it with its renewal.
            List<Answer> answers = inParallel(request -> post(
                    request,
                    "/api/v1/contracts/bulk?source=billing",
                    request % 2 == 0
                            ? "{\"records\": [" + first.formatted(r) + "]}"
                            : "{\"records\": [" + first.formatted(r) + ", " + renewal.formatted(r, r) + "]}"));
            assertThat(answers)
                    .allSatisfy(a -> assertThat(a.status()).as(a.body()).isEqualTo(200));
        }
        assertThat(count("select count(*) from contract where source = 'billing'"))
                .isEqualTo(10);
        assertThat(count("select count(*) from contract r join contract p on p.id = r.previous_contract_id"
                        + " where r.source = 'billing'"))
                .as("renewals linked to the term they renew")
                .isEqualTo(5);
    }

    @Test
    void parallelCreatesClaimingOneExternalIdCreateOneRecordAndRefuseTheOthersPrecisely() throws Exception {
        List<Answer> accounts = inParallel(request -> post(
                request, "/api/v1/accounts", "{\"name\": \"Claimed Inc\", \"externalIds\": {\"hubspot\": \"hs-1\"}}"));
        assertThat(accounts).extracting(Answer::status).containsOnly(201, 422).containsOnlyOnce(201);
        assertThat(accounts)
                .filteredOn(a -> a.status() == 422)
                .allSatisfy(a -> assertThat(a.body()).contains("already belongs to account"));
        assertThat(count("select count(*) from account where name = 'Claimed Inc'"))
                .isEqualTo(1);

        String account = JsonPath.read(
                accounts.stream()
                        .filter(a -> a.status() == 201)
                        .findFirst()
                        .orElseThrow()
                        .body(),
                "$.id");
        List<Answer> contacts = inParallel(request -> post(
                request,
                "/api/v1/contacts",
                "{\"accountId\": \"" + account + "\", \"externalId\": \"person-1\", \"name\": \"Pat\"}"));
        assertThat(contacts).extracting(Answer::status).containsOnly(201, 422).containsOnlyOnce(201);
        assertThat(contacts)
                .filteredOn(a -> a.status() == 422)
                .allSatisfy(a -> assertThat(a.body()).contains("already belongs to contact"));
        assertThat(count("select count(*) from contact where external_id = 'person-1'"))
                .isEqualTo(1);
    }

    /** An HTTP answer: its status and body. */
    private record Answer(int status, String body) {}

    /** Sends request {@code n} to one of the two instances, alternately. */
    private Answer post(int n, String path, String json) throws Exception {
        ConfigurableApplicationContext instance = instances.get(n % 2);
        int port = instance.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    /** Runs {@link #PARALLEL} requests released at the same moment. */
    private List<Answer> inParallel(Request request) throws Exception {
        return inParallel(PARALLEL, n -> () -> request.send(n));
    }

    @FunctionalInterface
    private interface Request {
        Answer send(int n) throws Exception;
    }

    private static <T> List<T> inParallel(int count, IntFunction<Callable<T>> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch ready = new CountDownLatch(count);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int n = 0; n < count; n++) {
                Callable<T> work = task.apply(n);
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return work.call();
                }));
            }
            ready.await();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<String> statuses(List<Answer> answers) {
        return answers.stream()
                .flatMap(a -> JsonPath.<List<String>>read(a.body(), "$.results[*].status").stream())
                .toList();
    }

    /** The distinct ids the answers gave for one external id. */
    private static Set<String> idsAnswered(List<Answer> answers, String externalId) {
        Set<String> ids = new HashSet<>();
        for (Answer answer : answers) {
            List<String> found = JsonPath.read(answer.body(), "$.results[?(@.externalId == '" + externalId + "')].id");
            assertThat(found)
                    .as("results for %s in %s", externalId, answer.body())
                    .hasSize(1);
            ids.add(found.get(0));
        }
        return ids;
    }

    private long count(String sql) throws Exception {
        try (Connection connection =
                        DriverManager.getConnection(database, TestDatabase.username(), TestDatabase.password());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static ConfigurableApplicationContext start(String database) {
        return new SpringApplicationBuilder(StewardApplication.class)
                .run(
                        "--server.port=0",
                        "--steward.database.url=" + database,
                        "--steward.database.username=" + TestDatabase.username(),
                        "--steward.database.password=" + TestDatabase.password(),
                        "--steward.database.pool-size=6",
                        "--steward.demo.load-on-start=false",
                        "--steward.admin.password=concurrent-upserts-password",
                        "--logging.level.root=WARN");
    }
}
