package dev.steward.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

/** The accounts list filtered by health color and sorted by health score and trend, a page at a time. */
@StewardTest
// A database of its own: the health set here by hand is of accounts no scorecard applies to, which a re-score started
// by another test's publication would rightly record as not scored.
@org.springframework.test.context.TestPropertySource(properties = "steward.test.context=account-health-list")
// Loads its accounts in bulk, which crosses books: an administrator (see BookPermissionsTests).
@WithMockUser(roles = "ADMIN")
class AccountHealthListTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    AccountSnapshots snapshots;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    /** Account name to id, for the accounts of this test's own segment. */
    private final Map<String, String> ids = new LinkedHashMap<>();

    private String tier;

    @BeforeEach
    void accounts() throws Exception {
        // Each test gets its own segment, so that the lists it reads hold only its accounts.
        tier = "T-" + UUID.randomUUID();
        for (String name : List.of("Aster", "Birch", "Cedar", "Dogwood", "Elm", "Fir")) {
            String body = mvc.perform(post("/api/v1/accounts")
                            .with(csrf())
                            .contentType(MediaType.APPLICATION_JSON)
                            .content("{\"name\": \"%s\", \"tier\": \"%s\"}".formatted(name, tier)))
                    .andExpect(status().isCreated())
                    .andReturn()
                    .getResponse()
                    .getContentAsString();
            ids.put(name, JsonPath.read(body, "$.id"));
        }
        // A new account is re-scored within seconds; no scorecard applies to these, so that re-score records them as
        // not scored. The health below is set once it has run, so that it does not take it away again.
        org.awaitility.Awaitility.await()
                .pollInSameThread()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(() -> jdbc.sql("""
                                        select (select count(*) from health_rescore_request where account_id = any(?))
                                             + (select count(*) from scheduled_tasks
                                                 where (task_name like 'health-%' and picked)
                                                    or task_name = 'health-published-rescore')""")
                                .param(new org.springframework.jdbc.support.SqlArrayValue(
                                        "uuid",
                                        ids.values().stream()
                                                .map(UUID::fromString)
                                                .toArray()))
                                .query(Long.class)
                                .single()
                        == 0);
        // Birch and Dogwood tie on score; Cedar has no score 30 days ago; Fir has not been scored at all.
        snapshots.recordHealth(List.of(
                health("Aster", 82.5, "green", 4.0),
                health("Birch", 55.0, "yellow", -12.5),
                health("Cedar", 31.2, "red", null),
                health("Dogwood", 55.0, "yellow", 0.0),
                health("Elm", 20.0, "black", -3.0)));
    }

    @Test
    void eachAccountCarriesItsHealthAndNoneBeforeItsFirstScore() throws Exception {
        mvc.perform(get("/api/v1/accounts/" + ids.get("Birch")))
                .andExpect(jsonPath("$.health.score", is(55.0)))
                .andExpect(jsonPath("$.health.color", is("yellow")))
                .andExpect(jsonPath("$.health.trend30", is(-12.5)));
        mvc.perform(get("/api/v1/accounts/" + ids.get("Cedar")))
                .andExpect(jsonPath("$.health.score", is(31.2)))
                .andExpect(jsonPath("$.health.trend30").doesNotExist());
        mvc.perform(get("/api/v1/accounts/" + ids.get("Fir")))
                .andExpect(jsonPath("$.health").doesNotExist())
                .andExpect(jsonPath("$.unscored.status", is("no-scorecard")))
                .andExpect(jsonPath("$.unscored.reason", org.hamcrest.Matchers.containsString("SMB applies to")));
    }

    @Test
    void sortingByScorePagesAcrossPageBoundariesWithUnscoredAccountsLastEitherWay() throws Exception {
        assertThat(names("healthScore", 2, null))
                .containsExactly("Elm", "Cedar", tied(true), tied(false), "Aster", "Fir");
        assertThat(names("-healthScore", 2, null))
                .containsExactly("Aster", tied(false), tied(true), "Cedar", "Elm", "Fir");
    }

    @Test
    void sortingByTrendPutsTheBiggestDropsFirstAndAccountsWithoutATrendLast() throws Exception {
        List<String> ascending = names("healthTrend", 2, null);
        assertThat(ascending.subList(0, 4)).containsExactly("Birch", "Elm", "Dogwood", "Aster");
        assertThat(ascending.subList(4, 6)).containsExactlyInAnyOrder("Cedar", "Fir");
        List<String> descending = names("-healthTrend", 2, null);
        assertThat(descending.subList(0, 4)).containsExactly("Aster", "Dogwood", "Elm", "Birch");
        assertThat(descending.subList(4, 6)).containsExactlyInAnyOrder("Cedar", "Fir");
    }

    @Test
    void filteringByColorKeepsTheAccountsOfThoseColors() throws Exception {
        assertThat(names("name", 50, "red,yellow")).containsExactly("Birch", "Cedar", "Dogwood");
        assertThat(names("-healthScore", 1, "black")).containsExactly("Elm");
        // Fir has no score: no scorecard applied to it when it was last scored, or it was never scored.
        assertThat(names("name", 50, "unscored")).containsExactly("Fir");
        assertThat(names("name", 50, "red,unscored")).containsExactly("Cedar", "Fir");
        mvc.perform(get("/api/v1/accounts").param("health", "purple"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("health")))
                .andExpect(jsonPath(
                        "$.errors[0].reason",
                        is("'purple' is not a health color; use one or more of [green, yellow, red, black], 'churned'"
                                + " for former customers, 'unscored' for customers without a score or 'no-scorecard'"
                                + " for those no scorecard applies to")));
    }

    /** Of the two accounts tied on score, the one that comes first by id (or last, when not {@code first}). */
    private String tied(boolean first) {
        boolean birchFirst = UUID.fromString(ids.get("Birch")).compareTo(UUID.fromString(ids.get("Dogwood"))) < 0;
        return birchFirst == first ? "Birch" : "Dogwood";
    }

    /** Every account of this test's segment in the order the list gives them, following the cursor page by page. */
    private List<String> names(String sort, int limit, String health) throws Exception {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("tier", tier);
        parameters.put("sort", sort);
        parameters.put("limit", String.valueOf(limit));
        parameters.put("health", health);
        return AccountListPages.names(mvc, ids, parameters);
    }

    private AccountSnapshots.Health health(String name, double score, String color, Double trend) {
        return new AccountSnapshots.Health(UUID.fromString(ids.get(name)), score, color, trend);
    }
}
