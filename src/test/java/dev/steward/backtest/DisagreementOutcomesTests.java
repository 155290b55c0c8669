package dev.steward.backtest;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import dev.steward.identity.Role;
import dev.steward.identity.UserManagement;
import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * Who was right when a CSM disagreed with the score, settled by what became of the account within 90 days as the
 * backtests read it, on the test clock's today (2026-03-18).
 */
@StewardTest
class DisagreementOutcomesTests {

    static final RequestPostProcessor CSM = user("disagreement-csm@example.com").roles("CSM");
    static final RequestPostProcessor ADMIN =
            user("disagreement-admin@example.com").roles("ADMIN");

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    UserManagement users;

    @Test
    void aDisagreementSettlesOnChurnOrWhenItsHorizonPassesAndIsPendingUntilThen() throws Exception {
        String before = tally();
        int settled = JsonPath.read(before, "$.settled");
        int csmRight = JsonPath.read(before, "$.csmRight");
        int modelRight = JsonPath.read(before, "$.modelRight");
        int pending = JsonPath.read(before, "$.pending");

        // Said Red where the model said Green; 90 days passed without churn: the model was right.
        String quiet = disagreement("Quiet Outcome Co", "2025-10-01", "green", "red");
        // Said Yellow where the model said Red; 90 days passed without churn: the CSM was right.
        String recovered = disagreement("Recovered Outcome Co", "2025-11-01", "red", "yellow");
        // Said Green where the model said Yellow; it churned 44 days later: the model was right.
        String lost = disagreement("Lost Outcome Co", "2025-09-01", "yellow", "green");
        churn(lost, "2025-10-15");
        // Said Red where the model said Green; less than 90 days ago and no churn yet: pending, never guessed.
        String warned = disagreement("Warned Outcome Co", "2026-02-01", "green", "red");
        String recent = disagreement("Recent Outcome Co", "2026-03-10", "yellow", "green");

        String judged = tally();
        assertVerdict(judged, quiet, "model-right");
        assertVerdict(judged, recovered, "csm-right");
        assertVerdict(judged, lost, "model-right");
        assertVerdict(judged, warned, "pending");
        assertVerdict(judged, recent, "pending");
        assertCounts(judged, settled + 3, csmRight + 1, modelRight + 2, pending + 2);

        // The warned account churns within its horizon: the CSM saw it coming.
        churn(warned, "2026-03-01");
        String settledNow = tally();
        assertVerdict(settledNow, warned, "csm-right");
        assertVerdict(settledNow, recent, "pending");
        assertCounts(settledNow, settled + 4, csmRight + 2, modelRight + 2, pending + 1);
        org.assertj.core.api.Assertions.assertThat(JsonPath.<java.util.List<String>>read(
                        settledNow, "$.disagreements[?(@.account == '%s')].churnedOn".formatted(warned)))
                .containsExactly("2026-03-01");
        // Churn before the disagreement's day says nothing about it.
        churn(recent, "2026-03-05");
        assertVerdict(tally(), recent, "pending");

        // Fewer than 10 settled: no share, and the page says so instead of a percentage.
        mvc.perform(get("/api/v1/health/disagreements/outcomes").with(CSM))
                .andExpect(jsonPath("$.csmRightShare").doesNotExist())
                .andExpect(jsonPath("$.horizonDays", is(90)));
        mvc.perform(get("/backtests").with(user("vic@example.com").roles("VIEWER")))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("When CSMs disagreed with the score")))
                .andExpect(content().string(containsString("data-testid=\"csm-right\">" + (csmRight + 2) + "<")))
                .andExpect(content().string(containsString("data-testid=\"model-right\">" + (modelRight + 2) + "<")))
                .andExpect(
                        content().string(containsString("<span data-testid=\"too-few\">too few settled to say</span>")))
                .andExpect(content().string(not(containsString("CSMs were right in"))));
    }

    private String tally() throws Exception {
        return mvc.perform(get("/api/v1/health/disagreements/outcomes").with(CSM))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
    }

    private static void assertVerdict(String tally, String account, String verdict) {
        org.assertj.core.api.Assertions.assertThat(JsonPath.<java.util.List<String>>read(
                        tally, "$.disagreements[?(@.account == '%s')].verdict".formatted(account)))
                .as("verdict on %s", account)
                .containsExactly(verdict);
    }

    private static void assertCounts(String tally, int settled, int csmRight, int modelRight, int pending) {
        org.assertj.core.api.Assertions.assertThat(List4.of(
                        JsonPath.read(tally, "$.settled"),
                        JsonPath.read(tally, "$.csmRight"),
                        JsonPath.read(tally, "$.modelRight"),
                        JsonPath.read(tally, "$.pending")))
                .containsExactly(settled, csmRight, modelRight, pending);
    }

    /** Four counts, in order. */
    private static final class List4 {
        static java.util.List<Object> of(Object a, Object b, Object c, Object d) {
            return java.util.List.of(a, b, c, d);
        }
    }

    /** An account scored {@code model} on the day, and a CSM's disagreement saying {@code csm}; its id. */
    private String disagreement(String name, String day, String model, String csm) throws Exception {
        String account = JsonPath.read(
                send(post("/api/v1/accounts"), ADMIN, "{\"name\": \"%s\"}".formatted(name))
                        .andExpect(status().isCreated())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.id");
        send(post("/api/v1/contracts"), ADMIN, """
                        {"accountId": "%s", "startDate": "2025-01-01", "endDate": "2027-01-01", "arr": 12000}""".formatted(account)).andExpect(status().isCreated());
        users.createIfAbsent("disagreement-csm@example.com", "Casey Disagrees", Role.CSM);
        send(put("/api/v1/accounts/{id}/owner", account), ADMIN, """
                        {"owner": "disagreement-csm@example.com", "reason": "Their account"}""").andExpect(status().isOk());
        jdbc.sql("""
                        insert into health_score (account_id, day, scorecard, scorecard_version, score, color, coverage,
                                                  raw, ranks, computed_at)
                        values (?, ?, 'SMB', 1, 50, ?, 1, '{}', '{}', '2026-03-18T00:00:00Z')""")
                .params(UUID.fromString(account), LocalDate.parse(day), model)
                .update();
        send(post("/api/v1/accounts/" + account + "/health/disagreements"), CSM, """
                        {"color": "%s", "reason": "I know this customer", "day": "%s"}""".formatted(csm, day))
                .andExpect(status().isCreated());
        return account;
    }

    private void churn(String account, String day) throws Exception {
        send(post("/api/v1/accounts/" + account + "/churn-events"), ADMIN, """
                        {"churnedOn": "%s", "reasonCategory": "budget", "reason": "Cut"}""".formatted(day))
                .andExpect(status().isCreated());
    }

    private ResultActions send(MockHttpServletRequestBuilder request, RequestPostProcessor who, String json)
            throws Exception {
        return mvc.perform(request.with(csrf())
                .with(who)
                .contentType(MediaType.APPLICATION_JSON)
                .content(json));
    }
}
