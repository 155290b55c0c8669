package dev.steward.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import java.time.LocalDate;
import java.util.StringJoiner;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * A churn dataset as they come: one row per customer on one day, with attributes (tenure) and a churned yes/no. It is
 * stored as what it is (attributes as of the snapshot's day, labels with the snapshot's horizon) and backtested on that
 * one day against the labels. 40 customers with tenures 1 to 40 months; those with at most 12 churned. Scored by
 * tenure (linear 0 → 40 months), tenure t scores 2.5·t: Red up to 16, Yellow 17–28, Green from 29. So 16 Red (12
 * churned, 4 not), 12 Yellow, 12 Green (none churned): accuracy (12 + 12) / 28, calling everyone Green (28 − 12) / 28,
 * precision of Red 12/16, recall 12/12, and every churned customer scored below every one that stayed: ROC AUC 1.
 */
@StewardTest
@WithMockUser(roles = "ADMIN")
@TestPropertySource(properties = "steward.test.context=snapshot-backtest")
class SnapshotBacktestTests {

    static final LocalDate DAY = LocalDate.of(2024, 6, 30);

    static final String SCORECARD = """
            name: Snapshot Tenure
            appliesTo: account.tier == "Snapshot"
            priority: 80
            thresholds: { red: 40, yellow: 70 }
            minimumCoverage: 0.5
            dimensions:
              - name: Relationship
                weight: 100
                measures:
                  - name: Tenure
                    metric: attribute.tenure_months
                    aggregate: latest
                    window: 30d
                    weight: 100
                    score: { linear: { from: 0, to: 40 } }
            """;

    @Autowired
    MockMvc mvc;

    @BeforeEach
    void snapshot() throws Exception {
        if (mvc.perform(get("/api/v1/scorecards/Snapshot Tenure/versions"))
                        .andReturn()
                        .getResponse()
                        .getStatus()
                == 200) {
            return;
        }
        StringJoiner accounts = new StringJoiner(",", "{\"records\": [", "]}");
        StringJoiner attributes = new StringJoiner(",", "{\"records\": [", "]}");
        StringJoiner labels = new StringJoiner(",", "{\"records\": [", "]}");
        for (int tenure = 1; tenure <= 40; tenure++) {
            accounts.add("{\"externalId\": \"C-%d\", \"name\": \"Customer %d\", \"tier\": \"Snapshot\"}"
                    .formatted(tenure, tenure));
            attributes.add(
                    "{\"accountExternalId\": \"C-%d\", \"name\": \"tenure_months\", \"asOf\": \"%s\", \"value\": %d}"
                            .formatted(tenure, DAY, tenure));
            labels.add(
                    "{\"accountExternalId\": \"C-%d\", \"snapshot\": \"telco\", \"asOf\": \"%s\", \"horizonDays\": 30,"
                                    .formatted(tenure, DAY)
                            + " \"churned\": " + (tenure <= 12) + "}");
        }
        send(post("/api/v1/accounts/bulk").param("source", "telco"), accounts.toString())
                .andExpect(status().isOk());
        send(post("/api/v1/account-attributes/bulk").param("source", "telco"), attributes.toString())
                .andExpect(status().isOk());
        send(post("/api/v1/churn-labels/bulk").param("source", "telco"), labels.toString())
                .andExpect(status().isOk());
        mvc.perform(post("/api/v1/scorecards/Snapshot Tenure/versions")
                        .with(csrf())
                        .contentType("application/yaml")
                        .content(SCORECARD))
                .andExpect(status().isCreated());
    }

    @Test
    void aLabelledSnapshotIsBacktestedOnItsDayAgainstItsLabels() throws Exception {
        mvc.perform(get("/api/v1/churn-labels/snapshots"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].name").value("telco"))
                .andExpect(jsonPath("$[0].asOf").value(DAY.toString()))
                .andExpect(jsonPath("$[0].accounts").value(40))
                .andExpect(jsonPath("$[0].churned").value(12));

        String location = send(post("/api/v1/backtests"), """
                        {"scorecards": [{"name": "Snapshot Tenure", "version": 1}], "snapshot": "telco"}""")
                .andExpect(status().isAccepted())
                .andReturn()
                .getResponse()
                .getHeader("Location");
        String run = awaitDone(location);

        assertThat(JsonPath.<java.util.List<String>>read(run, "$.results.asOfDates"))
                .containsExactly(DAY.toString());
        String m = "$.results.horizons[0].overall.";
        assertThat((Integer) JsonPath.read(run, "$.results.horizons[0].horizonDays"))
                .isEqualTo(30);
        assertThat(((Number) JsonPath.read(run, m + "observations")).longValue())
                .isEqualTo(40);
        assertThat(((Number) JsonPath.read(run, m + "churned")).longValue()).isEqualTo(12);
        assertThat(((Number) JsonPath.read(run, m + "rocAuc")).doubleValue()).isEqualTo(1.0);
        assertThat(((Number) JsonPath.read(run, m + "accuracy")).doubleValue()).isEqualTo(24.0 / 28);
        assertThat(((Number) JsonPath.read(run, m + "retainAllAccuracy")).doubleValue())
                .isEqualTo(16.0 / 28);
        assertThat(((Number) JsonPath.read(run, m + "redPrecision")).doubleValue())
                .isEqualTo(12.0 / 16);
        assertThat(((Number) JsonPath.read(run, m + "redRecall")).doubleValue()).isEqualTo(1.0);
        assertThat((Boolean) JsonPath.read(run, m + "verdict.conclusive")).isTrue();
        assertThat(JsonPath.<java.util.List<Object>>read(run, m + "colors[?(@.color == 'red')].accounts"))
                .containsExactly(16);
    }

    /** An attribute is a fact from its day on: scored the day before, the customer has no data and is Black. */
    @Test
    void anAttributeIsNotKnownBeforeItsDay() throws Exception {
        String account = JsonPath.read(
                mvc.perform(get("/api/v1/accounts").param("tier", "Snapshot"))
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.items[0].id");
        mvc.perform(get("/api/v1/accounts/" + account + "/health/as-of")
                        .param("date", DAY.toString())
                        .param("scorecard", "Snapshot Tenure")
                        .param("version", "1"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.explanation.coverage").value(1.0));
        mvc.perform(get("/api/v1/accounts/" + account + "/health/as-of")
                        .param("date", DAY.minusDays(1).toString())
                        .param("scorecard", "Snapshot Tenure")
                        .param("version", "1"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.color").value("black"))
                .andExpect(jsonPath("$.explanation.coverage").value(0.0));
    }

    @Test
    void aSnapshotKeepsOneDayAndHorizonAndABacktestOfItTakesNoOther() throws Exception {
        send(post("/api/v1/churn-labels/bulk").param("source", "telco"), """
                        {"records": [{"accountExternalId": "C-1", "snapshot": "telco", "asOf": "%s",
                                      "horizonDays": 90, "churned": true}]}""".formatted(DAY))
                .andExpect(status().isMultiStatus())
                .andExpect(jsonPath("$.results[0].errors[0].field").value("horizonDays"))
                .andExpect(jsonPath("$.results[0].errors[0].reason")
                        .value(containsString("labels churn within 30 days, not 90")));
        send(post("/api/v1/backtests"), """
                        {"snapshot": "telco", "horizons": [90], "asOfDates": ["2024-01-01"]}""")
                .andExpect(status().isUnprocessableEntity())
                .andExpect(jsonPath("$.errors[*].field", hasItem("horizons")))
                .andExpect(jsonPath("$.errors[*].field", hasItem("asOfDates")));
        send(post("/api/v1/backtests"), """
                        {"snapshot": "nothing"}""")
                .andExpect(status().isUnprocessableEntity())
                .andExpect(jsonPath("$.errors[0].field").value("snapshot"));
    }

    private String awaitDone(String location) {
        String[] body = new String[1];
        Awaitility.await()
                .pollInSameThread()
                .atMost(java.time.Duration.ofMinutes(2))
                .until(() -> {
                    body[0] =
                            mvc.perform(get(location)).andReturn().getResponse().getContentAsString();
                    Object state = JsonPath.read(body[0], "$.status");
                    assertThat(state).as(body[0]).isInstanceOf(String.class);
                    assertThat(state).as(body[0]).isNotEqualTo("failed");
                    return state.equals("done");
                });
        return body[0];
    }

    private ResultActions send(MockHttpServletRequestBuilder request, String body) throws Exception {
        return mvc.perform(
                request.with(csrf()).contentType(MediaType.APPLICATION_JSON).content(body));
    }
}
