package dev.steward.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The accounts list (page and API) says how many accounts match its filters, marks overridden scores with the
 * computed health beside them, and filters by the color shown or the computed one.
 */
@StewardTest
// A database of its own: the health set here by hand is of accounts no scorecard applies to, which a re-score started
// by another test's publication would rightly record as not scored.
@org.springframework.test.context.TestPropertySource(properties = "steward.test.context=account-health-list")
// Loads its accounts in bulk, which crosses books: an administrator (see BookPermissionsTests).
@WithMockUser(roles = "ADMIN")
class AccountListCountTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    AccountSnapshots snapshots;

    @Autowired
    JdbcClient jdbc;

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
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(30))
                .until(() -> jdbc.sql("""
                                        select (select count(*) from health_rescore_request where account_id = any(?))
                                             + (select count(*) from scheduled_tasks
                                                 where (task_name like 'health-%' and picked)
                                                    or task_name = 'health-published-rescore')""")
                                .param(new SqlArrayValue(
                                        "uuid",
                                        ids.values().stream()
                                                .map(UUID::fromString)
                                                .toArray()))
                                .query(Long.class)
                                .single()
                        == 0);
        // Fir has not been scored at all.
        snapshots.recordHealth(List.of(
                health("Aster", 82.5, "green", 4.0),
                health("Birch", 55.0, "yellow", -12.5),
                health("Cedar", 31.2, "red", null),
                health("Dogwood", 55.0, "yellow", 0.0),
                health("Elm", 20.0, "black", -3.0)));
    }

    @Test
    void theListSaysHowManyAccountsMatchOnAllPages() throws Exception {
        mvc.perform(get("/api/v1/accounts").param("tier", tier).param("limit", "2"))
                .andExpect(jsonPath("$.items.length()", is(2)))
                .andExpect(jsonPath("$.total.count", is(6)))
                .andExpect(jsonPath("$.total.estimated", is(false)));
        mvc.perform(get("/api/v1/accounts")
                        .param("tier", tier)
                        .param("health", "red,yellow")
                        .param("limit", "1"))
                .andExpect(jsonPath("$.total.count", is(3)));
        mvc.perform(get("/accounts").param("tier", tier).param("health", "red,yellow"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("3 accounts match")))
                .andExpect(content().string(containsString("· owner: anyone")));
    }

    @Test
    void anOverriddenScoreIsMarkedAndTheFilterReadsTheShownOrTheComputedColor() throws Exception {
        // A CSM overrode Birch: computed yellow 55.0, shown red 35.0.
        snapshots.recordHealth(List.of(new AccountSnapshots.Health(
                UUID.fromString(ids.get("Birch")), 35.0, "red", -12.5, 55.0, "yellow", true)));
        mvc.perform(get("/api/v1/accounts/" + ids.get("Birch")))
                .andExpect(jsonPath("$.health.color", is("red")))
                .andExpect(jsonPath("$.health.score", is(35.0)))
                .andExpect(jsonPath("$.health.overridden", is(true)))
                .andExpect(jsonPath("$.health.computedColor", is("yellow")))
                .andExpect(jsonPath("$.health.computedScore", is(55.0)));
        mvc.perform(get("/api/v1/accounts/" + ids.get("Aster")))
                .andExpect(jsonPath("$.health.overridden", is(false)))
                .andExpect(jsonPath("$.health.computedColor", is("green")));
        assertThat(names("name", 50, "red", null)).containsExactly("Birch", "Cedar");
        assertThat(names("name", 50, "red", "computed")).containsExactly("Cedar");
        assertThat(names("name", 50, "yellow", "computed")).containsExactly("Birch", "Dogwood");
        mvc.perform(get("/api/v1/accounts").param("health", "red").param("healthBasis", "guess"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("healthBasis")));

        String page = mvc.perform(get("/accounts").param("tier", tier).param("health", "red"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(page)
                .contains("2 accounts match")
                .contains("· health: the color shown (an override&#39;s where one is in force)")
                .contains("✎ computed yellow 55.0");
        assertThat(page.split("data-testid=\"override-mark\"", -1)).hasSize(2);
        mvc.perform(get("/accounts").param("tier", tier).param("health", "red").param("healthBasis", "computed"))
                .andExpect(content().string(containsString("1 account matches")))
                .andExpect(content().string(containsString("· health: the computed color, overrides aside")));
    }

    /** Every account of this test's segment, by name, following the cursor page by page. */
    private List<String> names(String sort, int limit, String health, String basis) throws Exception {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("tier", tier);
        parameters.put("sort", sort);
        parameters.put("limit", String.valueOf(limit));
        parameters.put("health", health);
        parameters.put("healthBasis", basis);
        return AccountListPages.names(mvc, ids, parameters);
    }

    private AccountSnapshots.Health health(String name, double score, String color, Double trend) {
        return new AccountSnapshots.Health(UUID.fromString(ids.get(name)), score, color, trend);
    }
}
