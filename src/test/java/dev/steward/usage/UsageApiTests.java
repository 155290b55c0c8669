package dev.steward.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.InvalidInputException;
import dev.steward.core.StewardTest;
import dev.steward.customer.AccountId;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

@StewardTest
@WithMockUser(roles = "ADMIN")
class UsageApiTests {

    private static final List<String> METRICS = List.of(
            "logins",
            "active_users",
            "events",
            "feature.dashboards",
            "feature.reports",
            "feature.integrations",
            "feature.automations",
            "feature.api");

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    UsageRecorder usage;

    @Test
    void theCatalogListsStandardMetricsAndAcceptsNewOnes() throws Exception {
        mvc.perform(get("/api/v1/usage/metrics"))
                // Other tests sharing the database may add metrics, so the standard ones are found by key.
                .andExpect(jsonPath("$[?(@.key == 'feature.reports')].aggregation", contains("sum")))
                .andExpect(jsonPath("$[?(@.key == 'logins')].unit", contains("logins")))
                .andExpect(jsonPath("$[?(@.key == 'active_users')].aggregation", contains("max")));
        send(post("/api/v1/usage/metrics"), """
                        {"key": "feature.exports", "name": "Exports", "unit": "exports", "aggregation": "sum"}""").andExpect(status().isCreated());
        send(post("/api/v1/usage/metrics"), """
                        {"key": "feature.exports", "name": "Exports", "unit": "exports", "aggregation": "sum"}""").andExpect(status().isConflict());
        send(post("/api/v1/usage/metrics"), """
                        {"key": "Bad Key", "name": "Bad", "unit": "x", "aggregation": "sum"}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("key")));
        mvc.perform(get("/api/v1/usage/metrics"))
                .andExpect(jsonPath("$[?(@.key == 'feature.exports')].hasData", contains(false)))
                .andExpect(jsonPath("$[?(@.key == 'feature.exports')].firstDay").isEmpty());
        String account = account("Exports Co", "EXP-1");
        send(post("/api/v1/accounts/" + account + "/usage"), """
                        [{"day": "2025-01-01", "metric": "feature.exports", "value": 3},
                         {"day": "2025-01-09", "metric": "feature.exports", "value": 0}]""").andExpect(status().isOk());
        mvc.perform(get("/api/v1/usage/metrics"))
                .andExpect(jsonPath("$[?(@.key == 'feature.exports')].hasData", contains(true)))
                .andExpect(jsonPath("$[?(@.key == 'feature.exports')].firstDay", contains("2025-01-01")))
                .andExpect(jsonPath("$[?(@.key == 'feature.exports')].lastDay", contains("2025-01-09")));
    }

    @Test
    void writingTheSameDayAgainReplacesTheValue() throws Exception {
        String account = account("Replace Co", "REP-1");
        send(post("/api/v1/accounts/" + account + "/usage"), """
                        [{"day": "2025-01-01", "metric": "logins", "value": 10},
                         {"day": "2025-01-02", "metric": "logins", "value": 12},
                         {"day": "2025-01-01", "metric": "active_users", "value": 4}]""")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.created", is(3)));
        send(post("/api/v1/accounts/" + account + "/usage"), """
                        [{"day": "2025-01-01", "metric": "logins", "value": 15},
                         {"day": "2025-01-02", "metric": "logins", "value": 12}]""")
                .andExpect(jsonPath("$.updated", is(1)))
                .andExpect(jsonPath("$.unchanged", is(1)));
        mvc.perform(get("/api/v1/accounts/" + account + "/usage?metric=logins"))
                .andExpect(jsonPath("$", hasSize(1)))
                .andExpect(jsonPath("$[0].metric", is("logins")))
                .andExpect(jsonPath("$[0].unit", is("logins")))
                .andExpect(jsonPath("$[0].points", hasSize(2)))
                .andExpect(jsonPath("$[0].points[0].value", is(15)));
        mvc.perform(get("/api/v1/accounts/" + account + "/usage?from=2025-01-02"))
                .andExpect(jsonPath("$", hasSize(1)))
                .andExpect(jsonPath("$[0].points[0].day", is("2025-01-02")));
    }

    @Test
    void unknownMetricsAndNegativeValuesAreRefused() throws Exception {
        String account = account("Refuse Co", "REF-1");
        send(post("/api/v1/accounts/" + account + "/usage"), """
                        [{"day": "2025-01-01", "metric": "logins", "value": 1},
                         {"day": "2025-01-01", "metric": "logons", "value": 1},
                         {"day": "2025-01-02", "metric": "events", "value": -1}]""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors", hasSize(2)))
                .andExpect(jsonPath("$.errors[0].index", is(1)))
                .andExpect(jsonPath("$.errors[0].field", is("metric")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("unknown metric 'logons'")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("feature.reports")))
                .andExpect(jsonPath("$.errors[1].index", is(2)))
                .andExpect(jsonPath("$.errors[1].field", is("value")));
        mvc.perform(get("/api/v1/accounts/" + account + "/usage")).andExpect(jsonPath("$", hasSize(0)));
        mvc.perform(get("/api/v1/accounts/" + account + "/usage?metric=logons"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("metric")));
    }

    @Test
    void bulkResolvesAccountsByExternalIdAndRejectsUnknownAccountsAndRepeatedDays() throws Exception {
        String account = account("Bulk Usage Co", "BU-1");
        String batch = """
                {"records": [
                  {"accountExternalId": "BU-1", "day": "2025-01-01", "metric": "events", "value": 100},
                  {"accountExternalId": "NOPE", "day": "2025-01-01", "metric": "events", "value": 100},
                  {"accountId": "%s", "day": "2025-01-01", "metric": "events", "value": 200},
                  {"accountId": "%s", "day": "2025-01-02", "metric": "events", "value": 50.5}
                ]}""".formatted(account, account);
        send(post("/api/v1/usage/bulk?source=segment"), batch)
                .andExpect(status().isMultiStatus())
                .andExpect(jsonPath("$.created", is(2)))
                .andExpect(jsonPath("$.rejected", is(2)))
                .andExpect(jsonPath("$.results[1].errors[0].field", is("accountExternalId")))
                .andExpect(jsonPath("$.results[2].errors[0].reason", containsString("more than once")));
        send(post("/api/v1/usage/bulk?source=segment"), batch)
                .andExpect(jsonPath("$.unchanged", is(2)))
                .andExpect(jsonPath("$.created", is(0)));
        send(post("/api/v1/usage/bulk?source=segment&atomic=true"), """
                        {"records": [
                          {"accountExternalId": "BU-1", "day": "2025-01-03", "metric": "events", "value": 1},
                          {"accountExternalId": "NOPE", "day": "2025-01-03", "metric": "events", "value": 1}]}""").andExpect(status().isUnprocessableContent());
        mvc.perform(get("/api/v1/accounts/" + account + "/usage?metric=events"))
                .andExpect(jsonPath("$[0].points", hasSize(2)))
                .andExpect(jsonPath("$[0].points[1].value", is(50.5)));
    }

    @Test
    void copyImportLoadsFiftyThousandRowsAndRepeatingItChangesNothing() throws Exception {
        List<AccountId> accounts = IntStream.range(0, 5)
                .mapToObj(i -> new AccountId(UUID.fromString(account("Import " + i, "IMP-" + i))))
                .toList();
        LocalDate start = LocalDate.of(2023, 1, 1);
        // 5 accounts × 8 metrics × 1,250 days = 50,000 rows; the value encodes its coordinates so any mix-up shows.
        java.util.function.Supplier<Stream<DailyUsage>> rows = () -> IntStream.range(0, 50_000)
                .mapToObj(i -> new DailyUsage(
                        accounts.get(i % 5),
                        start.plusDays(i / 40),
                        METRICS.get((i / 5) % 8),
                        (i / 40) + (i % 5) * 10_000 + ((i / 5) % 8) * 0.5));

        assertThat(usage.importDaily(rows.get())).isEqualTo(50_000);
        assertThat(usage.importDaily(rows.get())).isZero();

        String series = mvc.perform(get("/api/v1/accounts/" + accounts.get(3) + "/usage?metric=feature.reports"))
                .andExpect(jsonPath("$[0].points", hasSize(1_250)))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(((Number) JsonPath.read(series, "$[0].points[100].value")).doubleValue())
                .isEqualTo(100 + 30_000 + 4 * 0.5);
        assertThat((String) JsonPath.read(series, "$[0].points[100].day")).isEqualTo("2023-04-11");
        mvc.perform(get("/api/v1/accounts/" + accounts.get(0) + "/usage"))
                .andExpect(jsonPath("$", hasSize(8)))
                .andExpect(jsonPath("$[7].points", hasSize(1_250)));

        long changedOne = usage.importDaily(Stream.of(new DailyUsage(accounts.get(0), start, "logins", 999)));
        assertThat(changedOne).isEqualTo(1);
    }

    @Test
    void monthsKeptAsRowsAreWrittenEqualMonthsPackedAgainFromTheStoredDays() {
        List<AccountId> accounts = IntStream.range(0, 3)
                .mapToObj(i -> new AccountId(UUID.fromString(account("Months " + i, "MON-" + i))))
                .toList();
        java.util.Random random = new java.util.Random(7);
        // Days 10 January to 20 February, rows in no order: appended, as no day is stored yet.
        List<DailyUsage> first = new java.util.ArrayList<>();
        for (AccountId account : accounts) {
            for (String metric : METRICS) {
                for (LocalDate day = LocalDate.of(2024, 1, 10);
                        !day.isAfter(LocalDate.of(2024, 2, 20));
                        day = day.plusDays(1)) {
                    first.add(new DailyUsage(account, day, metric, random.nextInt(1_000)));
                }
            }
        }
        java.util.Collections.shuffle(first, random);
        assertThat(usage.importDaily(first.stream())).isEqualTo(first.size());
        // 15 February to 10 March with other values and a fraction: the stored days merged, the new ones appended.
        List<DailyUsage> second = new java.util.ArrayList<>();
        for (AccountId account : accounts.subList(0, 2)) {
            for (String metric : METRICS.subList(0, 5)) {
                for (LocalDate day = LocalDate.of(2024, 2, 15);
                        !day.isAfter(LocalDate.of(2024, 3, 10));
                        day = day.plusDays(1)) {
                    second.add(new DailyUsage(account, day, metric, 0.25 + random.nextInt(1_000)));
                }
            }
        }
        java.util.Collections.shuffle(second, random);
        assertThat(usage.importDaily(second.stream())).isEqualTo(second.size());
        // And one value through the API, on a day stored before.
        usage.record(
                accounts.get(2),
                List.of(new UsageInput(
                        null, null, LocalDate.of(2024, 1, 31), "logins", new java.math.BigDecimal("5"))));

        Object[] ids = accounts.stream().map(AccountId::value).toArray();
        java.util.Map<String, java.util.Map<String, List<Double>>> kept =
                months("select account_id, month, metrics from usage_month where account_id = any(:accounts)", ids);
        java.util.Map<String, java.util.Map<String, List<Double>>> packedAgain = months("""
                        select account_id, month, string_agg(block, ''::bytea order by metric)
                          from (select account_id, date_trunc('month', day)::date as month, metric,
                                       int2send(octet_length(convert_to(metric, 'UTF8'))::smallint)
                                           || convert_to(metric, 'UTF8') || int2send(count(*)::smallint)
                                           || string_agg(int2send(extract(day from day)::smallint), ''::bytea
                                                         order by day)
                                           || string_agg(float8send(value::float8), ''::bytea order by day) as block
                                  from usage_daily
                                 where account_id = any(:accounts)
                                 group by 1, 2, 3) blocks
                         group by account_id, month""", ids);
        assertThat(kept).hasSize(8).isEqualTo(packedAgain);
        assertThat(kept.get(accounts.get(2).value() + "/2024-01-01")
                        .get("logins")
                        .get(30))
                .isEqualTo(5.0);
        assertThat(jdbc.sql("""
                        select count(*) from usage_account a
                          join (select account_id, min(day) as first_day, max(day) as last_day
                                  from usage_daily where account_id = any(:accounts) group by account_id) d
                            on d.account_id = a.account_id
                         where d.first_day = a.first_day and d.last_day = a.last_day""")
                        .param("accounts", new org.springframework.jdbc.support.SqlArrayValue("uuid", ids))
                        .query(Long.class)
                        .single())
                .isEqualTo(3);
    }

    /** Each account's months unpacked: values by day of month (NaN where none), by metric, by "account/month". */
    private java.util.Map<String, java.util.Map<String, List<Double>>> months(String sql, Object[] accounts) {
        java.util.Map<String, java.util.Map<String, List<Double>>> months = new java.util.HashMap<>();
        jdbc.sql(sql)
                .param("accounts", new org.springframework.jdbc.support.SqlArrayValue("uuid", accounts))
                .query(rs -> {
                    java.util.Map<String, List<Double>> metrics = new java.util.HashMap<>();
                    MonthBlocks.unpack(rs.getBytes(3))
                            .forEach((metric, values) -> metrics.put(
                                    metric,
                                    java.util.Arrays.stream(values).boxed().toList()));
                    months.put(rs.getObject(1, UUID.class) + "/" + rs.getObject(2, LocalDate.class), metrics);
                });
        return months;
    }

    @Test
    void copyImportRefusesUnknownMetricsAndAccountsAndWritesNothing() {
        AccountId account = new AccountId(UUID.fromString(account("Import Refused", "IMPR-1")));
        LocalDate day = LocalDate.of(2025, 1, 1);
        assertThatThrownBy(() -> usage.importDaily(Stream.of(
                        new DailyUsage(account, day, "logins", 1), new DailyUsage(account, day, "logons", 1))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("row 1")
                .hasMessageContaining("unknown metric 'logons'");
        assertThatThrownBy(() -> usage.importDaily(Stream.of(
                        new DailyUsage(account, day, "logins", 1),
                        new DailyUsage(new AccountId(UUID.randomUUID()), day, "logins", 1))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("no account with id");
        assertThatThrownBy(() -> usage.importDaily(Stream.of(
                        new DailyUsage(account, day, "logins", 1), new DailyUsage(account, day, "logins", 2))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("more than once");
        assertThat(usage.series(account, null, null, null)).isEmpty();
    }

    @Test
    void deletingAnAccountRemovesItsUsage() throws Exception {
        String account = account("Gone Co", "GONE-1");
        send(
                        post("/api/v1/accounts/" + account + "/usage"),
                        "[{\"day\": \"2025-03-01\", \"metric\": \"logins\", \"value\": 3}]")
                .andExpect(status().isOk());
        mvc.perform(delete("/api/v1/accounts/" + account)
                        .header("If-Match", "\"0\"")
                        .with(csrf()))
                .andExpect(status().isNoContent());
        // Usage rows carry no foreign key; the usage module removes them when it hears of the deletion.
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> jdbc.sql("select count(*) from usage_daily where account_id = ?::uuid")
                                .param(account)
                                .query(Long.class)
                                .single()
                        == 0);
    }

    private String account(String name, String externalId) {
        try {
            String body = send(
                            post("/api/v1/accounts"),
                            "{\"name\": \"%s\", \"externalIds\": {\"segment\": \"%s\"}}".formatted(name, externalId))
                    .andExpect(status().isCreated())
                    .andReturn()
                    .getResponse()
                    .getContentAsString();
            return JsonPath.read(body, "$.id");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private ResultActions send(MockHttpServletRequestBuilder request, String json) throws Exception {
        return mvc.perform(
                request.with(csrf()).contentType(MediaType.APPLICATION_JSON).content(json));
    }
}
