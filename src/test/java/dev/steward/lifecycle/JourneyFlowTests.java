package dev.steward.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.steward.core.StewardTest;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.ContractInput;
import dev.steward.customer.ContractManagement;
import java.math.BigDecimal;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The journey's flow over a hand-made stage history in 2024 (no other test's stays fall in that year): entries,
 * where they went, conversion, medians, stalled accounts, the segment and cohort filters, and the accounts behind each
 * number, with exact numbers; and bad parameters answered 400 naming the parameter.
 *
 * <p>The history, by account (first contract start in brackets; days counted to 31 Dec 2024):
 *
 * <pre>
 * A (2024-01-10): onboarding 01-10 → adoption 03-10 → renewal 09-01 → adoption 11-01 → churned 2025-02-01
 * B (2024-02-01): onboarding 02-01 → adoption 04-01, still there (274 days)
 * C (2024-03-01): onboarding 03-01 → at_risk 04-10 → churned 05-10, still there (235 days)
 * D (2024-11-01): onboarding 11-01, still there (60 days)
 * E (2024-05-01): onboarding 05-01 → no stage 06-15
 * F (2023-06-01): adoption since 2023-06-01 (579 days)
 * G (2023-10-01): adoption 2023-10-01 → renewal 02-01 → adoption 05-01 → at_risk 06-01 → adoption 07-01
 *                 → renewal 10-01, still there (91 days)
 * </pre>
 *
 * Segment "Flow test" members: A from 2024-01-01 to 06-30, B from 02-01 12:00, E from 04-01 to 05-01 10:00 (gone by
 * the end of the day its onboarding began), G from 06-15.
 */
@StewardTest
@WithMockUser(roles = "MANAGER")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JourneyFlowTests {

    private static final String PERIOD = "from=2024-01-01&to=2024-12-31";

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    AccountManagement accounts;

    @Autowired
    ContractManagement contracts;

    private final Map<String, UUID> ids = new LinkedHashMap<>();

    @BeforeAll
    void aHandMadeHistory() throws Exception {
        ids.put("A", account("Flow A", "2024-01-10", 10_000));
        ids.put("B", account("Flow B", "2024-02-01", 20_000));
        ids.put("C", account("Flow C", "2024-03-01", 30_000));
        ids.put("D", account("Flow D", "2024-11-01", 40_000));
        ids.put("E", account("Flow E", "2024-05-01", 50_000));
        ids.put("F", account("Flow F", "2023-06-01", 60_000));
        ids.put("G", account("Flow G", "2023-10-01", 70_000));
        // The journey places each new account at once; its stays are then replaced by the history, under the lock
        // that every writer of stages takes.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> jdbc.sql(
                                        "select count(*) from account_stage where account_id = any(?) and left_at is null")
                                .param(new SqlArrayValue("uuid", ids.values().toArray()))
                                .query(Long.class)
                                .single()
                        == ids.size());
        transactions.executeWithoutResult(status -> {
            jdbc.sql("select pg_advisory_xact_lock(hashtext('segment membership'))")
                    .query()
                    .singleValue();
            jdbc.sql("delete from account_stage where account_id = any(?)")
                    .param(new SqlArrayValue("uuid", ids.values().toArray()))
                    .update();
            stays(
                    "A",
                    "onboarding",
                    "2024-01-10",
                    "adoption",
                    "2024-03-10",
                    "renewal",
                    "2024-09-01",
                    "adoption",
                    "2024-11-01",
                    "churned",
                    "2025-02-01",
                    null);
            stays("B", "onboarding", "2024-02-01", "adoption", "2024-04-01", null);
            stays("C", "onboarding", "2024-03-01", "at_risk", "2024-04-10", "churned", "2024-05-10", null);
            stays("D", "onboarding", "2024-11-01", null);
            stays("E", "onboarding", "2024-05-01", "2024-06-15");
            stays("F", "adoption", "2023-06-01", null);
            stays(
                    "G",
                    "adoption",
                    "2023-10-01",
                    "renewal",
                    "2024-02-01",
                    "adoption",
                    "2024-05-01",
                    "at_risk",
                    "2024-06-01",
                    "adoption",
                    "2024-07-01",
                    "renewal",
                    "2024-10-01",
                    null);
        });
        mvc.perform(post("/api/v1/segments/{name}/versions", "Flow test")
                        .contentType("application/yaml")
                        .content("name: Flow test\ntype: static\n")
                        .with(user("flow-manager").roles("MANAGER"))
                        .with(csrf()))
                .andExpect(status().isCreated());
        mvc.perform(post("/api/v1/segments/{name}/versions/1/publish", "Flow test")
                        .with(user("flow-manager").roles("MANAGER"))
                        .with(csrf()))
                .andExpect(status().isOk());
        UUID segment = jdbc.sql("select id from account_segment where name = 'Flow test'")
                .query(UUID.class)
                .single();
        member(segment, "A", "2024-01-01T00:00:00Z", "2024-06-30T00:00:00Z");
        member(segment, "B", "2024-02-01T12:00:00Z", null);
        member(segment, "E", "2024-04-01T00:00:00Z", "2024-05-01T10:00:00Z");
        member(segment, "G", "2024-06-15T00:00:00Z", null);
    }

    @Test
    void eachStageCountsItsEntriesWhereTheyWentConversionDaysAndStalledAccounts() throws Exception {
        flow(PERIOD)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.from", is("2024-01-01")))
                .andExpect(jsonPath("$.to", is("2024-12-31")))
                .andExpect(jsonPath("$.observedAt", is("2025-01-01T00:00:00Z")))
                .andExpect(jsonPath(
                        "$.stages[*].key",
                        contains("onboarding", "adoption", "growth", "renewal", "at_risk", "churned")))
                // Onboarding: A, B, C, D, E entered; A and B went on to adoption, C to at risk, E to no stage, D is
                // still there. Stays that ended: 40, 45, 60, 60 days.
                .andExpect(jsonPath("$.stages[0].entered", is(5)))
                .andExpect(jsonPath("$.stages[0].stillThere", is(1)))
                .andExpect(jsonPath("$.stages[0].movedOn", is(4)))
                .andExpect(jsonPath("$.stages[0].movedTo[*].name", contains("Adoption", "At risk", "No stage")))
                .andExpect(jsonPath("$.stages[0].movedTo[*].accounts", contains(2, 1, 1)))
                .andExpect(jsonPath("$.stages[0].movedTo[2].stage").doesNotExist())
                .andExpect(jsonPath("$.stages[0].nextStage", is("adoption")))
                .andExpect(jsonPath("$.stages[0].converted", is(2)))
                .andExpect(jsonPath("$.stages[0].conversion", is(0.4)))
                .andExpect(jsonPath("$.stages[0].completedStays", is(4)))
                .andExpect(jsonPath("$.stages[0].medianDays", is(45)))
                .andExpect(jsonPath("$.stages[0].p75Days", is(60)))
                .andExpect(jsonPath("$.stages[0].stallLimitDays", is(90)))
                .andExpect(jsonPath("$.stages[0].stalled", is(0)))
                // Adoption: A, B and G entered (G twice, counted once by its first entry, which went to at risk);
                // none went straight on to growth: 0%, not "no data". Stays that ended: G 31, G 92, G 123 (begun
                // in 2023), A 175; the limit is 184 days: B (274) and F (579, in since 2023) stalled.
                .andExpect(jsonPath("$.stages[1].entered", is(3)))
                .andExpect(jsonPath("$.stages[1].stillThere", is(1)))
                .andExpect(jsonPath("$.stages[1].movedTo[*].stage", contains("renewal", "at_risk")))
                .andExpect(jsonPath("$.stages[1].converted", is(0)))
                .andExpect(jsonPath("$.stages[1].conversion", is(0.0)))
                .andExpect(jsonPath("$.stages[1].completedStays", is(4)))
                .andExpect(jsonPath("$.stages[1].medianDays", is(92)))
                .andExpect(jsonPath("$.stages[1].p75Days", is(123)))
                .andExpect(jsonPath("$.stages[1].stallLimitDays", is(184)))
                .andExpect(jsonPath("$.stages[1].stallLimitFromMedian", is(true)))
                .andExpect(jsonPath("$.stages[1].stalled", is(2)))
                // Growth: nothing entered, nothing ended: no data, and the default stall limit.
                .andExpect(jsonPath("$.stages[2].entered", is(0)))
                .andExpect(jsonPath("$.stages[2].conversion").doesNotExist())
                .andExpect(jsonPath("$.stages[2].medianDays").doesNotExist())
                .andExpect(jsonPath("$.stages[2].p75Days").doesNotExist())
                .andExpect(jsonPath("$.stages[2].stallLimitDays", is(90)))
                .andExpect(jsonPath("$.stages[2].stallLimitFromMedian", is(false)))
                // Renewal: A and G entered (G's first entry went back to adoption); stays of 61 and 90 days.
                .andExpect(jsonPath("$.stages[3].entered", is(2)))
                .andExpect(jsonPath("$.stages[3].movedTo[*].stage", contains("adoption")))
                .andExpect(jsonPath("$.stages[3].movedTo[*].accounts", contains(2)))
                .andExpect(jsonPath("$.stages[3].medianDays", is(61)))
                .andExpect(jsonPath("$.stages[3].p75Days", is(90)))
                .andExpect(jsonPath("$.stages[3].stalled", is(0)))
                // At risk: C went on to churned, G back to adoption.
                .andExpect(jsonPath("$.stages[4].entered", is(2)))
                .andExpect(jsonPath("$.stages[4].nextStage", is("churned")))
                .andExpect(jsonPath("$.stages[4].conversion", is(0.5)))
                .andExpect(jsonPath("$.stages[4].medianDays", is(30)))
                // Churned, the last stage: no next stage; A churned only in 2025.
                .andExpect(jsonPath("$.stages[5].entered", is(1)))
                .andExpect(jsonPath("$.stages[5].nextStage").doesNotExist())
                .andExpect(jsonPath("$.stages[5].converted").doesNotExist())
                .andExpect(jsonPath("$.stages[5].conversion").doesNotExist())
                .andExpect(jsonPath("$.stages[5].stalled", is(1)));
    }

    @Test
    void eachNumberListsTheAccountsBehindIt() throws Exception {
        behind("stage=onboarding")
                .andExpect(jsonPath("$.total", is(5)))
                .andExpect(jsonPath("$.shown", is("entered Onboarding")));
        behind("stage=onboarding&movedTo=adoption")
                .andExpect(jsonPath("$.total", is(2)))
                .andExpect(jsonPath("$.accounts[*].name", contains("Flow A", "Flow B")))
                .andExpect(jsonPath("$.accounts[*].days", contains(60, 60)))
                .andExpect(jsonPath("$.accounts[0].arr").value(10000.0))
                .andExpect(jsonPath("$.accounts[0].enteredAt", is("2024-01-10T00:00:00Z")))
                .andExpect(jsonPath("$.accounts[0].leftAt", is("2024-03-10T00:00:00Z")))
                .andExpect(jsonPath("$.accounts[0].movedTo", is("adoption")));
        behind("stage=onboarding&movedTo=none")
                .andExpect(jsonPath("$.accounts[*].name", contains("Flow E")))
                .andExpect(jsonPath("$.accounts[0].movedTo").doesNotExist());
        behind("stage=onboarding&still=true")
                .andExpect(jsonPath("$.accounts[*].name", contains("Flow D")))
                .andExpect(jsonPath("$.accounts[0].days", is(60)))
                .andExpect(jsonPath("$.accounts[0].leftAt").doesNotExist());
        behind("stage=adoption&stalled=true")
                .andExpect(jsonPath("$.total", is(2)))
                .andExpect(jsonPath("$.accounts[*].name", contains("Flow F", "Flow B")))
                .andExpect(jsonPath("$.accounts[*].days", contains(579, 274)))
                .andExpect(jsonPath("$.shown", containsString("more than 184 days")));
        behind("stage=adoption&completed=true")
                .andExpect(jsonPath("$.total", is(4)))
                .andExpect(jsonPath("$.accounts[*].name", contains("Flow A", "Flow G", "Flow G", "Flow G")))
                .andExpect(jsonPath("$.accounts[*].days", contains(175, 123, 92, 31)))
                .andExpect(jsonPath("$.accounts[*].movedTo", contains("renewal", "renewal", "renewal", "at_risk")));
        behind("stage=adoption&limit=1")
                .andExpect(jsonPath("$.total", is(3)))
                .andExpect(jsonPath("$.accounts[*].name", contains("Flow B")));
    }

    @Test
    void aSegmentCountsTheStaysWhoseAccountWasInItAtTheEndOfTheDayTheyBegan() throws Exception {
        // A was in the segment until June, B from the afternoon of the day it entered onboarding, E left it on the
        // morning its onboarding began, G joined in mid-June (its adoption entry of 1 July counts, not that of May).
        flow(PERIOD + "&segment=Flow test")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.segment", is("Flow test")))
                .andExpect(jsonPath("$.stages[0].entered", is(2)))
                .andExpect(jsonPath("$.stages[0].conversion", is(1.0)))
                .andExpect(jsonPath("$.stages[1].entered", is(3)))
                .andExpect(jsonPath("$.stages[1].movedTo[*].stage", contains("renewal")))
                .andExpect(jsonPath("$.stages[1].movedTo[*].accounts", contains(2)))
                .andExpect(jsonPath("$.stages[1].stillThere", is(1)))
                .andExpect(jsonPath("$.stages[1].medianDays", is(92)))
                .andExpect(jsonPath("$.stages[1].p75Days", is(175)))
                .andExpect(jsonPath("$.stages[1].stalled", is(1)))
                .andExpect(jsonPath("$.stages[3].entered", is(1)))
                .andExpect(jsonPath("$.stages[3].stillThere", is(1)))
                .andExpect(jsonPath("$.stages[4].entered", is(0)))
                .andExpect(jsonPath("$.stages[4].conversion").doesNotExist());
        behind("stage=adoption&movedTo=renewal&segment=Flow test")
                .andExpect(jsonPath("$.accounts[*].name", contains("Flow A", "Flow G")))
                .andExpect(jsonPath("$.accounts[1].enteredAt", is("2024-07-01T00:00:00Z")));
        behind("stage=adoption&stalled=true&segment=Flow test")
                .andExpect(jsonPath("$.accounts[*].name", contains("Flow B")));
    }

    @Test
    void aStartCohortCountsTheAccountsWhoseFirstContractStartedInTheQuarter() throws Exception {
        // 2024-Q1: A, B and C. Adoption's only ended stay is A's 175 days: the limit is 350, so B has not stalled.
        flow(PERIOD + "&cohort=2024-q1")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.cohort", is("2024-Q1")))
                .andExpect(jsonPath("$.stages[0].entered", is(3)))
                .andExpect(jsonPath("$.stages[0].movedTo[*].stage", contains("adoption", "at_risk")))
                .andExpect(jsonPath("$.stages[0].conversion", is(2.0 / 3)))
                .andExpect(jsonPath("$.stages[1].entered", is(2)))
                .andExpect(jsonPath("$.stages[1].medianDays", is(175)))
                .andExpect(jsonPath("$.stages[1].stallLimitDays", is(350)))
                .andExpect(jsonPath("$.stages[1].stalled", is(0)));
        flow(PERIOD + "&cohort=2024-Q1&segment=Flow test").andExpect(jsonPath("$.stages[0].entered", is(2)));
        behind("stage=onboarding&cohort=2024-Q1")
                .andExpect(jsonPath("$.accounts[*].name", contains("Flow A", "Flow B", "Flow C")));
        mvc.perform(get("/lifecycle/flow").param("from", "2024-01-01").param("to", "2024-12-31"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString(">2024-Q1 (")));
    }

    @Test
    void thePeriodIsTheLast365DaysUnlessToldAndBadParametersAreAnswered400NamingThem() throws Exception {
        mvc.perform(get("/api/v1/lifecycle/flow"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.from", is("2025-03-19")))
                .andExpect(jsonPath("$.to", is("2026-03-18")));
        refused(get("/api/v1/lifecycle/flow").param("from", "2024-13-01"), "from", "YYYY-MM-DD");
        refused(get("/api/v1/lifecycle/flow").param("to", "2026-03-19"), "to", "after today");
        refused(get("/api/v1/lifecycle/flow").param("from", "2024-06-02").param("to", "2024-06-01"), "from", "after");
        refused(get("/api/v1/lifecycle/flow").param("from", "2021-03-17"), "from", "at most 3 years");
        refused(get("/api/v1/lifecycle/flow").param("cohort", "2024Q1"), "cohort", "e.g. 2025-Q3");
        refused(get("/api/v1/lifecycle/flow").param("segment", "Flow tset"), "segment", "did you mean 'Flow test'?");
        refused(get("/api/v1/lifecycle/flow/accounts"), "stage", "is required");
        refused(get("/api/v1/lifecycle/flow/accounts").param("stage", "adopton"), "stage", "did you mean 'adoption'?");
        refused(
                get("/api/v1/lifecycle/flow/accounts")
                        .param("stage", "adoption")
                        .param("movedTo", "up"),
                "movedTo",
                "'none'");
        refused(
                get("/api/v1/lifecycle/flow/accounts")
                        .param("stage", "adoption")
                        .param("still", "true")
                        .param("stalled", "true"),
                "stalled",
                "only one of");
        refused(
                get("/api/v1/lifecycle/flow/accounts")
                        .param("stage", "adoption")
                        .param("limit", "501"),
                "limit",
                "500");
        mvc.perform(get("/lifecycle/flow").param("from", "2024-13-01"))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("not a day")));
    }

    private ResultActions flow(String query) throws Exception {
        return mvc.perform(get(URI.create("/api/v1/lifecycle/flow?" + query.replace(" ", "%20"))));
    }

    private ResultActions behind(String query) throws Exception {
        return mvc.perform(
                        get(URI.create("/api/v1/lifecycle/flow/accounts?" + PERIOD + "&" + query.replace(" ", "%20"))))
                .andExpect(status().isOk());
    }

    private void refused(
            org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder request,
            String field,
            String reason)
            throws Exception {
        mvc.perform(request)
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field", is(field)))
                .andExpect(jsonPath("$.errors[0].reason", containsString(reason)));
    }

    private UUID account(String name, String start, int arr) {
        UUID id = accounts.create(new AccountInput(
                        null, name, null, null, "Mid-Market", "Flowtest", null, 100, null, null, null, null, null))
                .id()
                .value();
        LocalDate first = LocalDate.parse(start);
        contracts.create(new ContractInput(
                null, id, null, first, first.plusYears(5), BigDecimal.valueOf(arr), 20, null, null, null, null, null));
        return id;
    }

    /**
     * Records an account's stays one after another: stage, day entered, next stage, day entered, …, and last the day
     * the last stage was left (for no stage) or {@code null} (still there).
     */
    private void stays(String account, String... path) {
        int stays = (path.length - 1) / 2;
        for (int k = 0; k < stays; k++) {
            String left = k + 1 < stays ? path[2 * k + 3] : path[path.length - 1];
            jdbc.sql("""
                            insert into account_stage (account_id, stage, stage_name, entered_at, left_at, cause)
                            values (?, ?, ?, ?, ?, 'rule')""")
                    .params(
                            ids.get(account),
                            path[2 * k],
                            name(path[2 * k]),
                            Timestamp.from(day(path[2 * k + 1])),
                            left == null ? null : Timestamp.from(day(left)))
                    .update();
        }
    }

    private void member(UUID segment, String account, String entered, String left) {
        jdbc.sql(
                        "insert into account_segment_membership (segment_id, account_id, entered_at, left_at) values (?, ?, ?, ?)")
                .params(
                        segment,
                        ids.get(account),
                        Timestamp.from(Instant.parse(entered)),
                        left == null ? null : Timestamp.from(Instant.parse(left)))
                .update();
    }

    private static Instant day(String day) {
        return LocalDate.parse(day).atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
    }

    private static String name(String stage) {
        return switch (stage) {
            case "at_risk" -> "At risk";
            default -> Character.toUpperCase(stage.charAt(0)) + stage.substring(1);
        };
    }
}
