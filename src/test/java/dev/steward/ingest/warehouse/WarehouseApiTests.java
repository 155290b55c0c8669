package dev.steward.ingest.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import dev.steward.core.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Warehouse sources through the API against two real engines: a DuckDB file and a second PostgreSQL database. A
 * usage feed pulls incrementally (and one reads a Parquet file through DuckDB on its schedule) from its watermark, rejects rows naming unknown accounts (the rest is stored), and a
 * second pull changes nothing; an accounts feed creates accounts; the password is kept encrypted; a query that would
 * write, a URL no driver takes and a mapping that does not fit are refused with the field at fault.
 */
@StewardTest
@WithMockUser(roles = "ADMIN")
@TestPropertySource(properties = "steward.secrets.key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
class WarehouseApiTests {

    @TempDir
    static Path directory;

    static Path duckFile;

    static Path parquet;

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    WarehouseSources warehouses;

    @BeforeAll
    static void warehouse() throws SQLException {
        duckFile = directory.resolve("warehouse.duckdb");
        duck("""
                create table daily_usage (account_key varchar, usage_day date, metric varchar, amount double,
                                          loaded_at timestamp)""", """
                insert into daily_usage values
                  ('W-1', date '2026-03-01', 'logins', 12, timestamp '2026-03-02 01:00:00'),
                  ('W-1', date '2026-03-02', 'logins', 7.5, timestamp '2026-03-03 01:00:00'),
                  ('W-2', date '2026-03-02', 'logins', 3, timestamp '2026-03-03 01:00:00'),
                  ('W-404', date '2026-03-02', 'logins', 1, timestamp '2026-03-02 23:00:00')""");
        parquet = directory.resolve("scheduled-usage.parquet");
        duck("copy (select 'WS-1' as account, date '2026-03-05' as day, 'logins' as metric, 2 as value) to '" + parquet
                + "' (format parquet)");
    }

    private static void duck(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + duckFile);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    @Test
    void aDuckDbUsageFeedPullsFromItsWatermarkAndSetsAsideRowsOfUnknownAccounts() throws Exception {
        String wharfOne = JsonPath.read(
                send(post("/api/v1/accounts/bulk?source=crm"), """
                                {"records": [{"externalId": "W-1", "name": "Wharf One"},
                                             {"externalId": "W-2", "name": "Wharf Two"}]}""")
                        .andExpect(status().isOk())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.results[0].id");
        send(post("/api/v1/warehouse/sources"), """
                        {"name": "dwh-duck", "jdbcUrl": "jdbc:duckdb:%s", "everyMinutes": 30}""".formatted(duckFile))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.hasPassword", is(false)))
                .andExpect(jsonPath("$.everyMinutes", is(30)));
        String feed = """
                {"query": "select account_key, usage_day, metric, amount, loaded_at from daily_usage",
                 "entity": "usage", "accountsSource": "crm", "watermarkColumn": "loaded_at",
                 "mapping": {"fields": {"accountExternalId": "account_key", "day": "usage_day", "metric": "metric",
                                        "value": "amount"}}}""";
        send(post("/api/v1/warehouse/sources/dwh-duck/check"), feed)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.columns[0].name", is("account_key")))
                .andExpect(jsonPath("$.columns[1].type", is("date")))
                .andExpect(jsonPath("$.check.mappingProblems", hasSize(0)))
                .andExpect(jsonPath("$.check.rows", hasSize(4)))
                .andExpect(jsonPath("$.check.rows[1].values.value", is(7.5)))
                .andExpect(jsonPath("$.check.rows[3].where", is("row 4")))
                .andExpect(
                        jsonPath("$.check.rows[3].problems[0]", containsString("no account has external id 'W-404'")));
        send(put("/api/v1/warehouse/sources/dwh-duck/feeds/daily-usage"), feed)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.accountsSource", is("crm")));

        pullAndWait("dwh-duck", 1)
                .andExpect(jsonPath("$[0].state", is("partial")))
                .andExpect(jsonPath("$[0].trigger", is("manual")))
                .andExpect(jsonPath("$[0].counts.rowsRead", is(4)))
                .andExpect(jsonPath("$[0].counts.rejected", is(1)))
                .andExpect(jsonPath("$[0].watermarkTo", is("2026-03-03T01:00")))
                .andExpect(jsonPath("$[0].errors[0].where", is("row 4")))
                .andExpect(jsonPath("$[0].errors[0].value", is("W-404")))
                .andExpect(jsonPath("$[0].errors[0].reason", containsString("in source 'crm'")));
        mvc.perform(get("/api/v1/accounts/" + wharfOne + "/usage?metric=logins"))
                .andExpect(jsonPath("$[0].points", hasSize(2)))
                .andExpect(jsonPath("$[0].points[1].value", is(7.5)));

        // Nothing new: only the rows at the watermark are read again, and they change nothing.
        pullAndWait("dwh-duck", 2)
                .andExpect(jsonPath("$[0].state", is("succeeded")))
                .andExpect(jsonPath("$[0].watermarkFrom", is("2026-03-03T01:00")))
                .andExpect(jsonPath("$[0].counts.rowsRead", is(2)))
                .andExpect(jsonPath("$[0].counts.unchanged", is(2)));

        duck("""
                insert into daily_usage values
                  ('W-1', date '2026-03-03', 'logins', 4, timestamp '2026-03-04 01:00:00')""");
        pullAndWait("dwh-duck", 3)
                .andExpect(jsonPath("$[0].state", is("succeeded")))
                .andExpect(jsonPath("$[0].counts.rowsRead", is(3)))
                .andExpect(jsonPath("$[0].watermarkTo", is("2026-03-04T01:00")));
        mvc.perform(get("/api/v1/accounts/" + wharfOne + "/usage?metric=logins"))
                .andExpect(jsonPath("$[0].points", hasSize(3)));

        // A changed query starts again from the first row.
        send(
                        put("/api/v1/warehouse/sources/dwh-duck/feeds/daily-usage"),
                        feed.replace("from daily_usage", "from daily_usage where amount > 0"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.watermark").doesNotExist());
    }

    @Test
    void aPostgresWarehouseFeedsAccountsAndKeepsItsPasswordEncrypted() throws Exception {
        String url = TestDatabase.createDatabase();
        try (Connection c = DriverManager.getConnection(url, TestDatabase.username(), TestDatabase.password());
                Statement s = c.createStatement()) {
            s.execute("create table crm_accounts (id text, company text, tier text, updated_at timestamptz)");
            s.execute("""
                    insert into crm_accounts values ('PG-1', 'Pelican Gardens', 'Enterprise', '2026-03-01T10:00:00Z'),
                                                    ('PG-2', 'Pine Grove', 'SMB', '2026-03-01T11:00:00Z'),
                                                    ('PG-3', '', 'SMB', '2026-03-01T12:00:00Z')""");
        }
        String password = "Warehouse-Secret-" + System.nanoTime();
        send(post("/api/v1/warehouse/sources"), """
                        {"name": "dwh-pg", "jdbcUrl": "%s", "user": "%s", "password": "%s"}""".formatted(url, TestDatabase.username(), password))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.hasPassword", is(true)))
                .andExpect(jsonPath("$.password").doesNotExist());
        String stored = jdbc.sql("""
                        select c.secret from ingest_pull_connection c join ingest_source s on s.id = c.source_id
                        where s.name = 'dwh-pg'""").query(String.class).single();
        assertThat(stored).startsWith("gcm1:").doesNotContain(password).doesNotContain("Warehouse-Secret");

        // Only queries run: a statement that writes is refused, and the table is still there.
        send(post("/api/v1/warehouse/sources/dwh-pg/check"), """
                        {"query": "delete from crm_accounts returning id", "entity": "accounts"}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("query")))
                .andExpect(jsonPath("$.errors[0].reason", startsWith("the query fails: ")));
        // A mapping naming a column the query lacks is refused, naming the field.
        send(put("/api/v1/warehouse/sources/dwh-pg/feeds/accounts"), """
                        {"query": "select id, company, tier, updated_at from crm_accounts", "entity": "accounts",
                         "mapping": {"fields": {"externalId": "id", "name": "company_name"}}}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("mapping.fields.name.column")))
                .andExpect(jsonPath("$.errors[0].reason", startsWith("the table has no column 'company_name'")));
        send(put("/api/v1/warehouse/sources/dwh-pg/feeds/accounts"), """
                        {"query": "select id, company, tier, updated_at from crm_accounts", "entity": "accounts",
                         "watermarkColumn": "updated_at",
                         "mapping": {"fields": {"externalId": "id", "name": "company", "tier": "tier"}}}""").andExpect(status().isOk());
        pullAndWait("dwh-pg", 1)
                .andExpect(jsonPath("$[0].state", is("partial")))
                .andExpect(jsonPath("$[0].counts.created", is(2)))
                .andExpect(jsonPath("$[0].counts.rejected", is(1)))
                .andExpect(jsonPath("$[0].errors[0].where", is("row 3")))
                .andExpect(jsonPath("$[0].errors[0].field", is("name")))
                .andExpect(jsonPath("$[0].watermarkTo", is("2026-03-01T12:00:00Z")));
        // The pull changed accounts: it is on the audit trail as the job's entry.
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(
                                jdbc.sql("""
                                        select actor || ' ' || actor_kind || ' ' || action || ' ' || target || ' '
                                            || status || ' ' || detail
                                        from audit_entry where target like '/sources/dwh-pg%'""").query(String.class).list())
                        .containsExactly("steward job PULL /sources/dwh-pg (accounts) 207 partial: 3 read, 2 created,"
                                + " 0 updated, 0 unchanged, 0 deleted, 1 rejected"));
        mvc.perform(get("/api/v1/accounts?q=Pelican"))
                .andExpect(jsonPath("$.items[0].name", is("Pelican Gardens")))
                .andExpect(jsonPath("$.items[0].tier", is("Enterprise")));
        try (Connection c = DriverManager.getConnection(url, TestDatabase.username(), TestDatabase.password());
                Statement s = c.createStatement()) {
            var count = s.executeQuery("select count(*) from crm_accounts");
            count.next();
            assertThat(count.getInt(1)).as("the refused DELETE removed nothing").isEqualTo(3);
        }
        mvc.perform(delete("/api/v1/warehouse/sources/dwh-pg/feeds/accounts").with(csrf()))
                .andExpect(status().isNoContent());
        mvc.perform(post("/api/v1/warehouse/sources/dwh-pg/pulls").with(csrf())).andExpect(status().isConflict());
    }

    @Test
    void aSourceIsPulledWhenItsTimeComesUnlessPaused() throws Exception {
        send(post("/api/v1/accounts/bulk?source=crm"), """
                        {"records": [{"externalId": "WS-1", "name": "Wharf Scheduled"}]}""").andExpect(status().isOk());
        send(post("/api/v1/warehouse/sources"), """
                        {"name": "dwh-scheduled", "jdbcUrl": "jdbc:duckdb:", "everyMinutes": 5}""")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.nextSyncAt", is("2026-03-18T10:20:30Z")));
        send(put("/api/v1/warehouse/sources/dwh-scheduled/feeds/constant"), """
                        {"query": "select account, day, metric, value from read_parquet('%s')",
                         "entity": "usage", "accountsSource": "crm",
                         "mapping": {"fields": {"accountExternalId": "account", "day": "day", "metric": "metric",
                                                "value": "value"}}}""".formatted(parquet))
                .andExpect(status().isOk());
        assertThat(warehouses.scheduleDue()).as("not due yet").isZero();
        String due = "update ingest_pull_connection set next_sync_at = timestamptz '2026-03-18T10:00:00Z'"
                + " where source_id = (select id from ingest_source where name = 'dwh-scheduled')";
        jdbc.sql(due).update();
        send(patch("/api/v1/warehouse/sources/dwh-scheduled"), """
                        {"paused": true}""").andExpect(status().isOk());
        assertThat(warehouses.scheduleDue()).as("paused").isZero();
        send(patch("/api/v1/warehouse/sources/dwh-scheduled"), """
                        {"paused": false}""").andExpect(status().isOk());
        assertThat(warehouses.scheduleDue()).isEqualTo(1);
        Awaitility.await()
                .pollInSameThread()
                .atMost(Duration.ofSeconds(60))
                .until(() -> warehouses.runs("dwh-scheduled", 5).stream().anyMatch(r -> !r.running()));
        mvc.perform(get("/api/v1/warehouse/sources/dwh-scheduled"))
                .andExpect(jsonPath("$.latestRuns[0].trigger", is("schedule")))
                .andExpect(jsonPath("$.latestRuns[0].state", is("succeeded")))
                .andExpect(jsonPath("$.latestRuns[0].counts.rowsRead", is(1)))
                .andExpect(jsonPath("$.nextSyncAt", is("2026-03-18T10:20:30Z")));
    }

    @Test
    void aConnectionThatCannotBeMadeIsNotKept() throws Exception {
        send(post("/api/v1/warehouse/sources"), """
                        {"name": "dwh-oracle", "jdbcUrl": "jdbc:oracle:thin:@db:1521/orcl"}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("jdbcUrl")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("no JDBC driver takes 'jdbc:oracle:'")));
        send(post("/api/v1/warehouse/sources"), """
                        {"name": "dwh-closed", "jdbcUrl": "jdbc:postgresql://127.0.0.1:1/analytics"}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("jdbcUrl")))
                .andExpect(jsonPath("$.errors[0].reason", startsWith("cannot connect: ")));
        send(post("/api/v1/warehouse/sources"), """
                        {"name": "dwh-missing", "jdbcUrl": "jdbc:duckdb:%s"}""".formatted(directory.resolve("none/x.duckdb")))
                .andExpect(status().isUnprocessableContent());
        mvc.perform(get("/api/v1/warehouse/sources/dwh-oracle")).andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/warehouse/sources/dwh-closed")).andExpect(status().isNotFound());
        assertThat(Files.exists(directory.resolve("none"))).isFalse();
    }

    private ResultActions pullAndWait(String source, int runs) throws Exception {
        mvc.perform(post("/api/v1/warehouse/sources/" + source + "/pulls").with(csrf()))
                .andExpect(status().isAccepted());
        Awaitility.await()
                .pollInSameThread()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    String body = mvc.perform(get("/api/v1/warehouse/sources/" + source + "/runs"))
                            .andReturn()
                            .getResponse()
                            .getContentAsString();
                    List<String> states = JsonPath.read(body, "$[*].state");
                    return states.size() == runs && !states.contains("running");
                });
        return mvc.perform(get("/api/v1/warehouse/sources/" + source + "/runs"));
    }

    private ResultActions send(MockHttpServletRequestBuilder request, String body) throws Exception {
        return mvc.perform(
                request.with(csrf()).contentType(MediaType.APPLICATION_JSON).content(body));
    }
}
