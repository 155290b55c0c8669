package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import dev.steward.identity.Role;
import dev.steward.identity.UserManagement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/** The "I disagree" form on the account's health panel, and the administrators' review queue page. */
@StewardTest
class DisagreementPagesTests {

    static final RequestPostProcessor CSM = user("disagreement-csm@example.com").roles("CSM");
    static final RequestPostProcessor VIEWER = user("vic@example.com").roles("VIEWER");
    static final RequestPostProcessor ADMIN =
            user("disagreement-admin@example.com").roles("ADMIN");

    @Autowired
    MockMvc mvc;

    @Autowired
    HealthScoring scoring;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    UserManagement users;

    @Test
    void aCsmDisagreesOnTheHealthPanelAndAnAdministratorReviewsItInTheQueue() throws Exception {
        String account = scoredAccount("Panel Disagreement Co", "PD-1");
        AccountHealth health = scoring.current(UUID.fromString(account)).orElseThrow();
        String model = health.computedColor().value();
        assertThat(model).isEqualTo("yellow");
        String other = "red";
        String panel = "/accounts/" + account + "/health-panel";

        String form = mvc.perform(get(panel).with(CSM))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("data-testid=\"disagree-form\"")))
                .andReturn()
                .getResponse()
                .getContentAsString();
        String colors = form.substring(form.indexOf("id=\"disagree-color\""));
        colors = colors.substring(0, colors.indexOf("</select>"));
        assertThat(colors).contains("value=\"" + other + "\"").doesNotContain("value=\"" + model + "\"");
        mvc.perform(get(panel).with(VIEWER))
                .andExpect(status().isOk())
                .andExpect(content().string(not(containsString("data-testid=\"disagree-form\""))));

        mvc.perform(post(panel + "/disagree")
                        .with(csrf())
                        .with(CSM)
                        .param("color", other)
                        .param("reason", " ")
                        .param("day", health.day().toString()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("say why the score is wrong")))
                .andExpect(content().string(not(containsString("data-testid=\"disagreement-saved\""))));
        mvc.perform(post(panel + "/disagree")
                        .with(csrf())
                        .with(CSM)
                        .param("color", other)
                        .param("reason", "Their champion resigned last week")
                        .param("day", health.day().toString()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("data-testid=\"disagreement-saved\"")))
                .andExpect(content().string(containsString("Their champion resigned last week")))
                .andExpect(content().string(containsString(">waiting<")));
        mvc.perform(post(panel + "/disagree")
                        .with(csrf())
                        .with(CSM)
                        .param("color", other)
                        .param("reason", "again")
                        .param("day", health.day().toString()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("You already have an open disagreement")));

        // The queue is the administrators'; the navigation offers it to them only.
        mvc.perform(get("/health/disagreements").with(CSM)).andExpect(status().isForbidden());
        mvc.perform(get("/backtests").with(CSM))
                .andExpect(content().string(not(containsString("data-testid=\"nav-disagreements\""))));
        String queue = mvc.perform(get("/health/disagreements").with(ADMIN))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("data-testid=\"nav-disagreements\"")))
                .andReturn()
                .getResponse()
                .getContentAsString();
        String id = JsonPath.read(
                mvc.perform(get("/api/v1/accounts/" + account + "/health/disagreements")
                                .with(CSM))
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$[0].id");
        String row = queue.substring(queue.indexOf("data-id=\"" + id + "\""));
        row = row.substring(0, row.indexOf("</tr>"));
        assertThat(row)
                .contains("Panel Disagreement Co")
                .contains("Casey Disagrees")
                .contains("Their champion resigned last week")
                .contains("0 days")
                .contains("href=\"/accounts/" + account + "\"")
                .contains("data-testid=\"review-form\"");

        mvc.perform(post("/health/disagreements/" + id + "/review")
                        .with(csrf())
                        .with(ADMIN)
                        .param("decision", "dismissed")
                        .param("note", ""))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("say why the score stands when dismissing")));
        mvc.perform(post("/health/disagreements/" + id + "/review")
                        .with(csrf())
                        .with(ADMIN)
                        .param("decision", "accepted")
                        .param("note", "Agreed; overriding"))
                .andExpect(redirectedUrl("/health/disagreements"))
                .andExpect(flash().attribute("reviewed", "Marked accepted; the account's score is unchanged."));
        mvc.perform(get("/health/disagreements").param("status", "reviewed").with(ADMIN))
                .andExpect(content().string(containsString("accepted by disagreement-admin@example.com")))
                .andExpect(content().string(containsString("Agreed; overriding")));
        mvc.perform(get("/health/disagreements").with(ADMIN))
                .andExpect(content().string(not(containsString("data-id=\"" + id + "\""))));
    }

    /** An SMB account in the CSM's book with a contract and usage, scored today. */
    private String scoredAccount(String name, String externalId) throws Exception {
        LocalDate today = scoring.today();
        send("/api/v1/accounts/bulk?source=crm", """
                {"records": [{"externalId": "%s", "name": "%s", "tier": "SMB"}]}""".formatted(externalId, name));
        send("/api/v1/contracts/bulk?source=crm", """
                {"records": [{"externalId": "%s-K", "accountExternalId": "%s", "startDate": "%s",
                  "endDate": "%s", "arr": 12000, "seats": 20}]}""".formatted(
                        externalId, externalId, today.minusDays(200), today.plusDays(165)));
        String id = JsonPath.read(
                mvc.perform(get("/api/v1/accounts").param("q", name).with(CSM))
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.items[0].id");
        List<String> rows = new ArrayList<>();
        for (int day = 1; day <= 60; day++) {
            String date = today.minusDays(day).toString();
            rows.add("{\"day\": \"%s\", \"metric\": \"active_users\", \"value\": 6}".formatted(date));
            rows.add("{\"day\": \"%s\", \"metric\": \"logins\", \"value\": 18}".formatted(date));
        }
        send("/api/v1/accounts/" + id + "/usage", "[" + String.join(",", rows) + "]");
        users.createIfAbsent("disagreement-csm@example.com", "Casey Disagrees", Role.CSM);
        mvc.perform(put("/api/v1/accounts/{id}/owner", id)
                        .with(csrf())
                        .with(ADMIN)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"owner": "disagreement-csm@example.com", "reason": "Their account"}"""))
                .andExpect(status().isOk());
        // The changes above are re-scored within seconds; once that has run, today's score is stored here, and set to
        // Yellow as a scoring with more data would have (so little data makes it Black, which no one disagrees with).
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(30))
                .until(() -> jdbc.sql("""
                                        select (select count(*) from health_rescore_request where account_id = ?)
                                             + (select count(*) from scheduled_tasks
                                                 where (task_name like 'health-%' and picked)
                                                    or task_name = 'health-published-rescore')""")
                                .param(UUID.fromString(id))
                                .query(Long.class)
                                .single()
                        == 0);
        scoring.rescore(List.of(UUID.fromString(id)), today);
        jdbc.sql("update health_score set color = 'yellow' where account_id = ? and day = ?")
                .params(UUID.fromString(id), today)
                .update();
        return id;
    }

    private void send(String path, String json) throws Exception {
        mvc.perform(post(path)
                        .with(csrf())
                        .with(ADMIN)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(json))
                .andExpect(status().is2xxSuccessful());
    }
}
