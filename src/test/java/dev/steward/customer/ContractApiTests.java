package dev.steward.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import dev.steward.core.TestClock;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
@org.springframework.test.context.event.RecordApplicationEvents
class ContractApiTests {

    static final LocalDate TODAY = LocalDate.ofInstant(TestClock.NOW, ZoneOffset.UTC);

    @Autowired
    MockMvc mvc;

    @Autowired
    ContractManagement contracts;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    org.springframework.test.context.event.ApplicationEvents events;

    @Test
    void derivesRenewalOutcomesFromTheChainAndKeepsTheAccountsArrAndRenewalDateCurrent() throws Exception {
        send(post("/api/v1/accounts/bulk?source=billing"), """
                        {"records": [{"externalId": "ACC-R", "name": "Renewing Co"}]}""").andExpect(status().isOk());
        String account = accountId("Renewing");
        send(post("/api/v1/contracts/bulk?source=billing"), """
                        {"records": [
                          {"externalId": "K-1", "accountExternalId": "ACC-R", "startDate": "%s", "endDate": "%s",
                           "arr": 100000},
                          {"externalId": "K-2", "accountExternalId": "ACC-R", "startDate": "%s", "endDate": "%s",
                           "arr": 120000, "previousContractExternalId": "K-1", "seats": 40, "plan": "Pro"},
                          {"externalId": "K-3", "accountExternalId": "ACC-R", "startDate": "%s", "endDate": "%s",
                           "arr": 90000, "previousContractExternalId": "K-2"},
                          {"externalId": "K-5", "accountExternalId": "ACC-R", "startDate": "%s", "endDate": "%s",
                           "arr": 10000},
                          {"externalId": "K-6", "accountExternalId": "ACC-R", "startDate": "%s", "endDate": "%s",
                           "arr": 10050, "previousContractExternalId": "K-5"}
                        ]}""".formatted(
                                TODAY.minusDays(730),
                                TODAY.minusDays(365),
                                TODAY.minusDays(365),
                                TODAY.plusDays(30),
                                TODAY.plusDays(30),
                                TODAY.plusDays(395),
                                TODAY.minusDays(800),
                                TODAY.minusDays(435),
                                TODAY.minusDays(435),
                                TODAY.minusDays(70)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.created", is(5)));

        mvc.perform(get("/api/v1/accounts/" + account + "/renewals"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$", hasSize(5)))
                .andExpect(jsonPath("$[?(@.externalId == 'K-1')].outcome", contains("expanded")))
                .andExpect(jsonPath("$[?(@.externalId == 'K-2')].outcome", contains("contracted")))
                .andExpect(jsonPath("$[?(@.externalId == 'K-3')].outcome", contains("pending")))
                .andExpect(jsonPath("$[?(@.externalId == 'K-5')].outcome", contains("renewed")))
                .andExpect(jsonPath("$[?(@.externalId == 'K-6')].outcome", contains("churned")))
                .andExpect(jsonPath(
                        "$[?(@.externalId == 'K-6')].reason",
                        contains("ended on " + TODAY.minusDays(70) + ", and no contract renews it")));
        mvc.perform(get("/api/v1/accounts/" + account))
                .andExpect(jsonPath("$.arr", is(120000.0)))
                .andExpect(jsonPath("$.mrr", is(10000.0)))
                .andExpect(jsonPath("$.renewalDate", is(TODAY.plusDays(30).toString())));

        send(post("/api/v1/contracts/bulk?source=billing"), """
                        {"records": [{"externalId": "K-2", "arr": 80000}]}""").andExpect(jsonPath("$.updated", is(1)));
        mvc.perform(get("/api/v1/accounts/" + account))
                .andExpect(jsonPath("$.arr", is(80000.0)))
                .andExpect(jsonPath("$.renewalDate", is(TODAY.plusDays(30).toString())));
        mvc.perform(get("/api/v1/accounts/" + account + "/renewals"))
                .andExpect(jsonPath("$[?(@.externalId == 'K-1')].outcome", contains("contracted")))
                .andExpect(jsonPath("$[?(@.externalId == 'K-2')].outcome", contains("expanded")));

        String next = JsonPath.read(
                mvc.perform(get("/api/v1/accounts/" + account + "/contracts?sort=-arr&limit=1"))
                        .andExpect(jsonPath("$.items[0].externalId", is("K-1")))
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.next");
        mvc.perform(get("/api/v1/accounts/" + account + "/contracts?sort=-arr&limit=1&cursor=" + next))
                .andExpect(jsonPath("$.items[0].externalId", is("K-3")));
        String runningId = JsonPath.read(
                mvc.perform(get("/api/v1/contracts?accountId=" + account + "&sort=endDate&limit=10"))
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.items[3].id");
        mvc.perform(get("/api/v1/contracts/" + runningId))
                .andExpect(jsonPath("$.externalId", is("K-2")))
                .andExpect(jsonPath("$.seats", is(40)))
                .andExpect(jsonPath("$.mrr", is(6666.67)));
        send(patch("/api/v1/contracts/" + runningId).header("If-Match", "\"1\""), "{\"status\": \"cancelled\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status", is("cancelled")));
        mvc.perform(get("/api/v1/accounts/" + account))
                .andExpect(jsonPath("$.arr", is(0.0)))
                .andExpect(jsonPath("$.renewalDate").doesNotExist());
    }

    @Test
    void createsChangesAndDeletesAContractWithOptimisticConcurrency() throws Exception {
        String account = createAccount("Single Contract Co");
        String body = send(
                        post("/api/v1/contracts"), """
                        {"accountId": "%s", "startDate": "%s", "endDate": "%s", "arr": 24000, "autoRenew": true}""".formatted(account, TODAY.minusMonths(1), TODAY.plusMonths(11)))
                .andExpect(status().isCreated())
                .andExpect(header().string("ETag", "\"0\""))
                .andExpect(jsonPath("$.status", is("active")))
                .andExpect(jsonPath("$.mrr", is(2000.0)))
                .andReturn()
                .getResponse()
                .getContentAsString();
        String id = JsonPath.read(body, "$.id");
        mvc.perform(get("/api/v1/accounts/" + account)).andExpect(jsonPath("$.arr", is(24000.0)));

        send(put("/api/v1/contracts/" + id), """
                        {"accountId": "%s", "startDate": "%s", "endDate": "%s", "arr": 30000}""".formatted(account, TODAY.minusMonths(1), TODAY.plusMonths(11)))
                .andExpect(status().isPreconditionRequired());
        send(put("/api/v1/contracts/" + id).header("If-Match", "\"0\""), """
                        {"accountId": "%s", "startDate": "%s", "endDate": "%s", "arr": 30000}""".formatted(
                                account, TODAY.minusMonths(1), TODAY.plusMonths(11)))
                .andExpect(status().isOk())
                .andExpect(header().string("ETag", "\"1\""));
        mvc.perform(get("/api/v1/accounts/" + account))
                .andExpect(jsonPath("$.arr", is(30000.0)))
                .andExpect(jsonPath("$.renewalDate", is(TODAY.plusMonths(11).toString())));
        send(patch("/api/v1/contracts/" + id).header("If-Match", "\"0\""), "{\"arr\": 1}")
                .andExpect(status().isPreconditionFailed());

        mvc.perform(delete("/api/v1/contracts/" + id)
                        .header("If-Match", "\"1\"")
                        .with(csrf()))
                .andExpect(status().isNoContent());
        mvc.perform(get("/api/v1/accounts/" + account))
                .andExpect(jsonPath("$.arr", is(0.0)))
                .andExpect(jsonPath("$.renewalDate").doesNotExist());
    }

    @Test
    void refusesAnEndBeforeTheStartANegativeArrAndARenewalOfAnotherAccountsContract() throws Exception {
        String account = createAccount("Strict Co");
        send(post("/api/v1/contracts"), """
                        {"accountId": "%s", "startDate": "2025-06-01", "endDate": "2025-05-31", "arr": 100}""".formatted(account))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors", hasSize(1)))
                .andExpect(jsonPath("$.errors[0].field", is("endDate")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("before startDate")));
        send(post("/api/v1/contracts"), """
                        {"accountId": "%s", "startDate": "2025-06-01", "endDate": "2026-06-01", "arr": -5}""".formatted(account))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("arr")));
        send(post("/api/v1/contracts"), """
                        {"accountId": "%s", "startDate": "2025-06-01", "endDate": "2026-06-01", "status": "paused",
                         "arr": 5}""".formatted(account))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field", is("status")));

        String other = createAccount("Other Co");
        String foreign = JsonPath.read(
                send(post("/api/v1/contracts"), """
                                {"accountId": "%s", "startDate": "2024-06-01", "endDate": "2025-06-01", "arr": 5}""".formatted(other))
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.id");
        send(post("/api/v1/contracts"), """
                        {"accountId": "%s", "startDate": "2025-06-01", "endDate": "2026-06-01", "arr": 5,
                         "previousContractId": "%s"}""".formatted(account, foreign))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("previousContractId")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("same account")));
    }

    /**
     * A subscription that runs until it is ended has no end date: it counts towards ARR from its start on, gives no
     * renewal date, and is no churn; ending it means giving the day. A cancelled one must say when it ended.
     */
    @Test
    void anOpenEndedSubscriptionIsInForceUntilItIsEnded() throws Exception {
        String account = createAccount("Runs On Co");
        String contract = JsonPath.read(
                send(post("/api/v1/contracts"), """
                                {"accountId": "%s", "startDate": "%s", "arr": 7200}""".formatted(account, TODAY.minusYears(3)))
                        .andExpect(status().isCreated())
                        .andExpect(jsonPath("$.endDate").doesNotExist())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.id");
        mvc.perform(get("/api/v1/accounts/" + account))
                .andExpect(jsonPath("$.arr", is(7200.0)))
                .andExpect(jsonPath("$.renewalDate").doesNotExist());
        mvc.perform(get("/api/v1/accounts/" + account + "/renewals"))
                .andExpect(jsonPath("$[0].outcome", is("pending")))
                .andExpect(jsonPath("$[0].reason", is("open-ended: runs until it is ended")));

        send(post("/api/v1/contracts"), """
                        {"accountId": "%s", "startDate": "%s", "arr": 100, "status": "cancelled"}""".formatted(account, TODAY.minusYears(1)))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("endDate")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("a cancelled contract needs the day")));
        assertThat(contract).isNotBlank();
    }

    @Test
    void bulkUpsertIsIdempotentRejectsUnknownAccountsAndStoresTheRest() throws Exception {
        String account = JsonPath.read(
                send(post("/api/v1/accounts/bulk?source=crm"), """
                                {"records": [{"externalId": "ACC-B", "name": "Bulk Contracts Co"}]}""")
                        .andExpect(status().isOk())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.results[0].id");
        String batch = """
                {"records": [
                  {"externalId": "B-1", "accountExternalId": "ACC-B", "startDate": "2024-01-01",
                   "endDate": "2025-01-01", "arr": 5000, "plan": "Starter"},
                  {"externalId": "B-2", "accountExternalId": "GHOST", "startDate": "2024-01-01",
                   "endDate": "2025-01-01", "arr": 5000},
                  {"externalId": "B-3", "accountExternalId": "ACC-B", "startDate": "2025-01-01",
                   "endDate": "2024-01-01", "arr": 5000},
                  {"externalId": "B-4", "accountExternalId": "ACC-B", "startDate": "2025-01-01",
                   "endDate": "2026-01-01", "arr": 5000, "previousContractExternalId": "B-3"},
                  {"externalId": "B-5", "accountExternalId": "ACC-B", "startDate": "2025-01-01",
                   "endDate": "2026-01-01", "arr": -1}
                ]}""";
        long before = announced(account);
        send(post("/api/v1/contracts/bulk?source=crm"), batch)
                .andExpect(status().isMultiStatus())
                .andExpect(jsonPath("$.created", is(1)))
                .andExpect(jsonPath("$.rejected", is(4)))
                .andExpect(jsonPath("$.results[1].errors[0].field", is("accountExternalId")))
                .andExpect(jsonPath("$.results[1].errors[0].externalId", is("B-2")))
                .andExpect(jsonPath("$.results[2].errors[0].field", is("endDate")))
                .andExpect(jsonPath("$.results[3].errors[0].field", is("previousContractExternalId")))
                .andExpect(jsonPath("$.results[4].errors[0].field", is("arr")));
        // The stored contract is announced (re-scores, figures and segments follow it), once.
        assertThat(announced(account)).isEqualTo(before + 1);
        send(post("/api/v1/contracts/bulk?source=crm"), batch)
                .andExpect(jsonPath("$.created", is(0)))
                .andExpect(jsonPath("$.updated", is(0)))
                .andExpect(jsonPath("$.unchanged", is(1)));
        // Sending the same batch again changes nothing, and so announces nothing.
        assertThat(announced(account)).isEqualTo(before + 1);
        String id = JsonPath.read(
                mvc.perform(get("/api/v1/contracts?status=active&accountId=" + account))
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.items[0].id");
        mvc.perform(get("/api/v1/contracts/" + id))
                .andExpect(header().string("ETag", "\"0\""))
                .andExpect(jsonPath("$.externalId", is("B-1")))
                .andExpect(jsonPath("$.plan", is("Starter")));
    }

    /** How many contract changes of the account were announced in this test. */
    private long announced(String account) {
        return events.stream(AccountRecordsChanged.class)
                .filter(e -> AccountRecordsChanged.CONTRACT.equals(e.kind())
                        && e.accounts().contains(java.util.UUID.fromString(account)))
                .count();
    }

    @Test
    void atomicBulkWritesNothingWhenARecordIsRefused() throws Exception {
        String account = createAccount("Atomic Contracts Co");
        send(post("/api/v1/contracts/bulk?source=atomic&atomic=true"), """
                        {"records": [
                          {"externalId": "AT-1", "accountId": "%s", "startDate": "%s", "endDate": "%s", "arr": 700},
                          {"externalId": "AT-2", "accountExternalId": "MISSING", "startDate": "2024-01-01",
                           "endDate": "2025-01-01", "arr": 5}]}""".formatted(
                                account, TODAY.minusDays(10), TODAY.plusDays(10)))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].index", is(1)))
                .andExpect(jsonPath("$.errors[0].field", is("accountExternalId")));
        mvc.perform(get("/api/v1/accounts/" + account + "/contracts")).andExpect(jsonPath("$.items", hasSize(0)));
        mvc.perform(get("/api/v1/accounts/" + account)).andExpect(jsonPath("$.arr", is(0.0)));
    }

    @Test
    void arrHistoryGivesTheArrAtTheStartOfEachMonth() throws Exception {
        String account = createAccount("History Co");
        send(post("/api/v1/contracts/bulk?source=hist"), """
                        {"records": [
                          {"externalId": "H-1", "accountId": "%s", "startDate": "2020-01-01", "endDate": "2021-01-01",
                           "arr": 1200},
                          {"externalId": "H-2", "accountId": "%s", "startDate": "2021-01-01", "endDate": "2022-01-01",
                           "arr": 2400, "previousContractExternalId": "H-1"},
                          {"externalId": "H-3", "accountId": "%s", "startDate": "2020-12-15", "endDate": "2021-01-15",
                           "arr": 100}]}""".formatted(account, account, account))
                .andExpect(status().isOk());
        mvc.perform(get("/api/v1/accounts/" + account + "/arr-history?from=2020-11-15&to=2021-02-10"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$", hasSize(3)))
                .andExpect(jsonPath("$[0].month", is("2020-12-01")))
                .andExpect(jsonPath("$[0].arr", is(1200.0)))
                .andExpect(jsonPath("$[1].month", is("2021-01-01")))
                .andExpect(jsonPath("$[1].arr", is(2500.0)))
                .andExpect(jsonPath("$[2].arr", is(2400.0)));
        mvc.perform(get("/api/v1/accounts/" + account + "/arr-history?from=2021-02-01&to=2020-01-01"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("to")));
    }

    @Test
    void theDailyRefreshRecomputesEveryAccountsTotals() throws Exception {
        String account = createAccount("Daily Co");
        send(post("/api/v1/contracts"), """
                        {"accountId": "%s", "startDate": "%s", "endDate": "%s", "arr": 999}""".formatted(account, TODAY, TODAY.plusYears(1)))
                .andExpect(status().isCreated());
        // Only this account's totals are made wrong: an update of every account could deadlock with a job writing
        // accounts of other tests in another order.
        jdbc.sql("update account set current_arr = 0, renewal_date = null where id = ?::uuid")
                .param(account)
                .update();

        assertThat(contracts.refreshAccountTotals()).isGreaterThanOrEqualTo(1);

        mvc.perform(get("/api/v1/accounts/" + account))
                .andExpect(jsonPath("$.arr", is(999.0)))
                .andExpect(jsonPath("$.renewalDate", is(TODAY.plusYears(1).toString())));
        assertThat(contracts.refreshAccountTotals()).isZero();
    }

    @Test
    void aWrittenContractTellsTheDaysItCountedOnBeforeAndAfter() throws Exception {
        java.util.UUID account = java.util.UUID.fromString(createAccount("Spanning Days Co"));
        LocalDate start = TODAY.minusDays(100);
        Contract contract = contracts.create(input(account, start, TODAY.plusDays(30)));
        Contract longer =
                contracts.replace(contract.id(), contract.version(), input(account, start, TODAY.plusDays(90)));
        contracts.delete(longer.id(), longer.version());

        assertThat(events.stream(AccountRecordsChanged.class)
                        .filter(e -> e.kind().equals(AccountRecordsChanged.CONTRACT)
                                && e.accounts().contains(account))
                        .map(AccountRecordsChanged::days))
                .containsExactly(
                        new AccountRecordsChanged.Days(start, TODAY.plusDays(30)),
                        new AccountRecordsChanged.Days(start, TODAY.plusDays(90)),
                        new AccountRecordsChanged.Days(start, TODAY.plusDays(90)));
        assertThat(new AccountRecordsChanged.Days(start, TODAY)
                        .and(new AccountRecordsChanged.Days(TODAY.plusDays(10), null)))
                .as("an open-ended span has no end")
                .isEqualTo(new AccountRecordsChanged.Days(start, null));
    }

    private static ContractInput input(java.util.UUID account, LocalDate start, LocalDate end) {
        return new ContractInput(
                null,
                account,
                null,
                start,
                end,
                new java.math.BigDecimal("1000"),
                null,
                null,
                ContractStatus.ACTIVE,
                false,
                null,
                null);
    }

    private String accountId(String name) throws Exception {
        return JsonPath.read(
                mvc.perform(get("/api/v1/accounts?q=" + name))
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.items[0].id");
    }

    private String createAccount(String name) throws Exception {
        return JsonPath.read(
                send(post("/api/v1/accounts"), "{\"name\": \"" + name + "\"}")
                        .andExpect(status().isCreated())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.id");
    }

    private ResultActions send(MockHttpServletRequestBuilder request, String json) throws Exception {
        return mvc.perform(
                request.with(csrf()).contentType(MediaType.APPLICATION_JSON).content(json));
    }
}
