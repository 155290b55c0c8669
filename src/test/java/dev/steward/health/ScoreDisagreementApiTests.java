package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
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

/** "I disagree with this score" through the API: what is kept, what is refused and why, and the review. */
@StewardTest
class ScoreDisagreementApiTests {

    static final RequestPostProcessor CSM = user("disagreement-csm@example.com").roles("CSM");
    static final RequestPostProcessor VIEWER = user("vic@example.com").roles("VIEWER");
    static final RequestPostProcessor ADMIN =
            user("disagreement-admin@example.com").roles("ADMIN");

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    UserManagement users;

    @Test
    void aCsmDisagreesWithTheStoredScoreOfADayAndIsRefusedPreciselyOtherwise() throws Exception {
        String account = account(mvc, users, "Disagreeable Co");
        LocalDate day = LocalDate.of(2026, 2, 10);
        score(jdbc, account, day, 81.5, "green");
        String path = "/api/v1/accounts/" + account + "/health/disagreements";

        send(post("/api/v1/accounts/" + UUID.randomUUID() + "/health/disagreements"), CSM, """
                        {"color": "red", "reason": "champion left", "day": "2026-02-10"}""")
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type", is("https://steward.dev/problems/not-found")));
        send(post(path), CSM, """
                        {"color": "red", "reason": "champion left", "day": "2026-02-11"}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("day")))
                .andExpect(jsonPath(
                        "$.errors[0].reason",
                        is("the account has no stored score on 2026-02-11: there is nothing to disagree with")));
        send(post(path), CSM, """
                        {"color": "Green", "reason": "all fine", "day": "2026-02-10"}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("color")))
                .andExpect(jsonPath(
                        "$.errors[0].reason",
                        is("the model already says green on 2026-02-10; choose the color it should be instead")));
        send(post(path), CSM, """
                        {"color": "purple", "reason": "   ", "day": "2026-02-10"}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("reason")))
                .andExpect(jsonPath("$.errors[0].reason", is("say why the score is wrong")))
                .andExpect(jsonPath("$.errors[1].field", is("color")));
        send(
                        post(path),
                        CSM,
                        "{\"color\": \"red\", \"reason\": \"%s\", \"day\": \"2026-02-10\"}".formatted("x".repeat(2001)))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("reason")))
                .andExpect(jsonPath("$.errors[0].reason", is("at most 2000 characters, got 2001")));
        send(post(path), VIEWER, """
                        {"color": "red", "reason": "champion left", "day": "2026-02-10"}""").andExpect(status().isForbidden());

        String created = send(post(path), CSM, """
                        {"color": "red", "reason": "  champion left in January  ", "day": "2026-02-10"}""")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.account", is(account)))
                .andExpect(jsonPath("$.day", is("2026-02-10")))
                .andExpect(jsonPath("$.modelColor", is("green")))
                .andExpect(jsonPath("$.modelScore", is(81.5)))
                .andExpect(jsonPath("$.scorecard", is("SMB")))
                .andExpect(jsonPath("$.scorecardVersion", is(1)))
                .andExpect(jsonPath("$.suggestedColor", is("red")))
                .andExpect(jsonPath("$.reason", is("champion left in January")))
                .andExpect(jsonPath("$.author", is("Casey Disagrees")))
                .andExpect(jsonPath("$.createdAt", is("2026-03-18T10:15:30Z")))
                .andExpect(jsonPath("$.status", is("open")))
                .andReturn()
                .getResponse()
                .getContentAsString();
        String id = JsonPath.read(created, "$.id");

        // One open disagreement per account and person: the second names the first.
        send(post(path), CSM, """
                        {"color": "yellow", "reason": "second thoughts", "day": "2026-02-10"}""")
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.openDisagreement.id", is(id)))
                .andExpect(jsonPath("$.detail", startsWith("You already have an open disagreement")));
        // Without a day, the latest stored score is the one disagreed with.
        score(jdbc, account, LocalDate.of(2026, 3, 1), 55, "yellow");
        send(post(path), ADMIN, """
                        {"color": "green", "reason": "renewal signed early"}""")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.day", is("2026-03-01")))
                .andExpect(jsonPath("$.modelColor", is("yellow")));

        mvc.perform(get(path).with(VIEWER))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()", is(2)))
                .andExpect(jsonPath("$[*].id", hasItem(id)));
    }

    @Test
    void onlyAnAdministratorReviewsAndAReviewChangesNoScore() throws Exception {
        String account = account(mvc, users, "Reviewed Co");
        LocalDate day = LocalDate.of(2026, 2, 12);
        score(jdbc, account, day, 35, "red");
        String path = "/api/v1/accounts/" + account + "/health/disagreements";
        String id = JsonPath.read(
                send(post(path), CSM, """
                                {"color": "yellow", "reason": "usage is back", "day": "2026-02-12"}""")
                        .andExpect(status().isCreated())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.id");
        String review = "/api/v1/health/disagreements/" + id + "/review";

        mvc.perform(get("/api/v1/health/disagreements").with(CSM)).andExpect(status().isForbidden());
        send(post(review), CSM, "{\"decision\": \"accepted\"}").andExpect(status().isForbidden());
        mvc.perform(get("/api/v1/health/disagreements").param("status", "open").with(ADMIN))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[?(@.id == '%s')].accountName".formatted(id), hasItem("Reviewed Co")))
                .andExpect(jsonPath("$[?(@.id == '%s')].author".formatted(id), hasItem("Casey Disagrees")))
                .andExpect(jsonPath("$[?(@.id == '%s')].modelScore".formatted(id), hasItem(35.0)))
                .andExpect(jsonPath("$[?(@.id == '%s')].ageDays".formatted(id), hasItem(0)));
        mvc.perform(get("/api/v1/health/disagreements")
                        .param("status", "closed")
                        .with(ADMIN))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field", is("status")));

        send(post(review), ADMIN, "{\"decision\": \"dismissed\", \"note\": \"  \"}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("note")))
                .andExpect(jsonPath("$.errors[0].reason", is("say why the score stands when dismissing")));
        send(post(review), ADMIN, "{\"decision\": \"maybe\"}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("decision")));
        send(post(review), ADMIN, "{\"decision\": \"accepted\", \"note\": \"fair: see the usage\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.decision", is("accepted")))
                .andExpect(jsonPath("$.reviewNote", is("fair: see the usage")))
                .andExpect(jsonPath("$.reviewedBy", is("disagreement-admin@example.com")))
                .andExpect(jsonPath("$.status", is("reviewed")));
        send(post(review), ADMIN, "{\"decision\": \"dismissed\", \"note\": \"changed my mind\"}")
                .andExpect(status().isConflict());

        mvc.perform(get("/api/v1/health/disagreements").param("status", "open").with(ADMIN))
                .andExpect(jsonPath("$[*].id", not(hasItem(id))));
        mvc.perform(get("/api/v1/health/disagreements")
                        .param("status", "reviewed")
                        .with(ADMIN))
                .andExpect(jsonPath("$[*].id", hasItem(id)));
        // Accepting records a judgement; the stored score stays the model's.
        assertThat(jdbc.sql("select color from health_score where account_id = ? and day = ?")
                        .params(UUID.fromString(account), day)
                        .query(String.class)
                        .single())
                .isEqualTo("red");
        // Once reviewed, the CSM may disagree again.
        send(post(path), CSM, """
                        {"color": "green", "reason": "expanded", "day": "2026-02-12"}""").andExpect(status().isCreated());
    }

    /**
     * An account no scorecard applies to (no tier), so that no re-score replaces the scores a test stores, in the
     * book of the CSM these tests sign in as.
     */
    static String account(MockMvc mvc, UserManagement users, String name) throws Exception {
        String created = mvc.perform(post("/api/v1/accounts")
                        .with(csrf())
                        .with(ADMIN)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"%s\"}".formatted(name)))
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getContentAsString();
        String id = JsonPath.read(created, "$.id");
        // A contract from the API, whose data is current: what became of the account is known up to today.
        mvc.perform(post("/api/v1/contracts")
                        .with(csrf())
                        .with(ADMIN)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"accountId": "%s", "startDate": "2025-01-01", "endDate": "2027-01-01", "arr": 12000}""".formatted(id)))
                .andExpect(status().isCreated());
        users.createIfAbsent("disagreement-csm@example.com", "Casey Disagrees", Role.CSM);
        mvc.perform(put("/api/v1/accounts/{id}/owner", id)
                        .with(csrf())
                        .with(ADMIN)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"owner": "disagreement-csm@example.com", "reason": "Their account"}"""))
                .andExpect(status().isOk());
        return id;
    }

    /** Stores a day's score as the nightly scoring would, with the SMB scorecard's first version. */
    static void score(JdbcClient jdbc, String account, LocalDate day, double score, String color) {
        jdbc.sql("""
                        insert into health_score (account_id, day, scorecard, scorecard_version, score, color, coverage,
                                                  raw, ranks, computed_at)
                        values (?, ?, 'SMB', 1, ?, ?, 1, '{}', '{}', '2026-03-18T00:00:00Z')""").params(UUID.fromString(account), day, score, color).update();
    }

    private ResultActions send(MockHttpServletRequestBuilder request, RequestPostProcessor who, String json)
            throws Exception {
        return mvc.perform(request.with(csrf())
                .with(who)
                .contentType(MediaType.APPLICATION_JSON)
                .content(json));
    }
}
