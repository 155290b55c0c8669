package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * A former customer is not an account at risk: an account whose last contract ended (and whose churn event says so)
 * gets no health color but a "churned" mark, in the API and on the pages; it is left out of the colors a re-score
 * counts, out of "at risk" and out of its parent's roll-up, and the health filter finds it as "churned".
 */
@StewardTest
@WithMockUser(roles = "ADMIN")
class ChurnedAccountsTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    HealthScoring scoring;

    @Test
    void aFormerCustomerIsShownApartAndCountedInNoHealthColorNorRollUp() throws Exception {
        LocalDate today = scoring.today();
        String live = customer("Churn Test Live", null, today.minusMonths(6), today.plusMonths(6), true, today);
        String gone = customer("Churn Test Gone", null, today.minusMonths(15), today.minusMonths(3), false, today);
        send(post("/api/v1/accounts/" + gone + "/churn-events"), """
                        {"churnedOn": "%s", "reasonCategory": "budget", "reason": "Budget cut"}""".formatted(today.minusMonths(3)))
                .andExpect(status().isCreated());
        String group = customer("Churn Test Group", null, today.minusMonths(6), today.plusMonths(6), true, today);
        String goneChild = customer(
                "Churn Test Gone Subsidiary", group, today.minusMonths(14), today.minusMonths(2), false, today);

        String run = send(post("/api/v1/health/rescore"), "")
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        Map<String, Integer> colors = JsonPath.read(run, "$.colors");
        assertThat(colors.values().stream().mapToInt(Integer::intValue).sum())
                .as("accounts counted in the run's colors: those scored, none of the churned")
                .isEqualTo(JsonPath.<Integer>read(run, "$.scored"));
        assertThat(JsonPath.<Integer>read(run, "$.churned"))
                .as("churned accounts")
                .isGreaterThanOrEqualTo(2);

        mvc.perform(get("/api/v1/accounts/" + gone))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.health").doesNotExist())
                .andExpect(jsonPath("$.churn.since", is(today.minusMonths(3).toString())))
                .andExpect(jsonPath("$.churn.reason", containsString("no contract in force")));
        mvc.perform(get("/api/v1/accounts/" + live))
                .andExpect(jsonPath("$.health.color").exists())
                .andExpect(jsonPath("$.churn").doesNotExist());

        assertThat(namesOfTestAccounts("churned"))
                .containsExactlyInAnyOrder("Churn Test Gone", "Churn Test Gone Subsidiary");
        assertThat(namesOfTestAccounts("red,yellow,green,black"))
                .as("accounts with a health color")
                .containsExactlyInAnyOrder("Churn Test Live", "Churn Test Group");
        mvc.perform(get("/api/v1/accounts").param("health", "lost"))
                .andExpect(status().isUnprocessableEntity())
                .andExpect(jsonPath("$.errors[0].reason", containsString("'churned' for former customers")));

        // The parent's roll-up is its own score: its only child left, and a former customer weighs nothing.
        String parent = mvc.perform(get("/api/v1/accounts/" + group + "/health"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        // (Its own score is Black here: with no tickets, meetings or NPS anywhere, most of SMB has no data.)
        assertThat(JsonPath.<Double>read(parent, "$.computedScore"))
                .as("the parent's rolled-up score")
                .isCloseTo(
                        JsonPath.<Double>read(parent, "$.explanation.score"),
                        org.assertj.core.data.Offset.offset(0.01));

        String asOf = mvc.perform(get("/api/v1/health/as-of").param("date", today.toString()))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(JsonPath.<Integer>read(asOf, "$.churned")).isGreaterThanOrEqualTo(2);
        assertThat(JsonPath.<List<String>>read(asOf, "$.scores[*].account"))
                .contains(live, group)
                .doesNotContain(gone, goneChild);
        Map<String, Integer> asOfColors = JsonPath.read(asOf, "$.colors");
        assertThat(asOfColors.values().stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(JsonPath.<List<String>>read(asOf, "$.scores").size());
        mvc.perform(get("/api/v1/accounts/" + goneChild + "/health/as-of").param("date", today.toString()))
                .andExpect(status().isUnprocessableEntity())
                .andExpect(jsonPath("$.errors[0].reason", containsString("was no longer a customer")));
        // A year ago the subsidiary was a customer, and is scored as one.
        mvc.perform(get("/api/v1/accounts/" + goneChild + "/health/as-of")
                        .param("date", today.minusMonths(12).toString()))
                .andExpect(status().isOk());

        // On the pages: a "churned" mark instead of a color, a filter for them, and none among those at risk.
        mvc.perform(get("/accounts").param("q", "Churn Test").param("health", "churned"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("data-color=\"churned\"")))
                .andExpect(content().string(containsString("health-badge health-churned")))
                .andExpect(content().string(containsString("Churn Test Gone")))
                .andExpect(content().string(not(containsString("Churn Test Live"))))
                .andExpect(content().string(containsString("<option value=\"churned\" selected=\"selected\">")));
        mvc.perform(get("/accounts").param("q", "Churn Test").param("health", "red,yellow"))
                .andExpect(status().isOk())
                .andExpect(content().string(not(containsString("Churn Test Gone"))))
                .andExpect(content().string(not(containsString("data-color=\"churned\""))));
        mvc.perform(get("/accounts/" + gone))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("data-testid=\"account-churned\"")))
                .andExpect(content().string(containsString("A former customer")));
    }

    /** An SMB account with one contract, and daily use over the last 60 days while it was a customer. */
    private String customer(String name, String parent, LocalDate start, LocalDate end, boolean active, LocalDate today)
            throws Exception {
        String account = JsonPath.read(
                send(post("/api/v1/accounts"), """
                                {"name": "%s", "tier": "SMB", "lifecycleStage": "%s"%s}""".formatted(
                                        name,
                                        active ? "growth" : "churned",
                                        parent == null ? "" : ", \"parentId\": \"" + parent + "\""))
                        .andExpect(status().isCreated())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.id");
        send(post("/api/v1/contracts"), """
                        {"accountId": "%s", "startDate": "%s", "endDate": "%s", "arr": 12000, "seats": 10}""".formatted(account, start, end)).andExpect(status().isCreated());
        StringJoiner usage = new StringJoiner(",", "{\"records\": [", "]}");
        for (int back = 0; back < 60; back++) {
            LocalDate day = today.minusDays(back);
            if (day.isBefore(end)) {
                usage.add("{\"accountId\": \"%s\", \"metric\": \"logins\", \"day\": \"%s\", \"value\": %d}"
                        .formatted(account, day, name.endsWith("Group") ? 20 : 5));
            }
        }
        if (active) {
            send(post("/api/v1/usage/bulk"), usage.toString()).andExpect(status().isOk());
        }
        return account;
    }

    /** The names of this test's accounts the health filter keeps. */
    private List<String> namesOfTestAccounts(String health) throws Exception {
        return JsonPath.read(
                mvc.perform(get("/api/v1/accounts").param("q", "Churn Test").param("health", health))
                        .andExpect(status().isOk())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.items[*].name");
    }

    private ResultActions send(MockHttpServletRequestBuilder request, String body) throws Exception {
        return mvc.perform(
                request.with(csrf()).contentType(MediaType.APPLICATION_JSON).content(body));
    }
}
