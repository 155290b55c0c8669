package dev.steward.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

/**
 * A scorecard whose {@code appliesTo} names a segment scores that segment's members, follows an account in and out of
 * it within seconds, scores past days by the membership of that day, and refuses a segment that does not exist at the
 * line it is named on, in the API and in the editor's validation panel.
 */
@StewardTest
@WithMockUser(roles = "ADMIN")
class SegmentScorecardTests {

    private static final String SEGMENT = "Segcard strategic";

    private static final String SCORECARD = """
            name: %s
            appliesTo: |
              account.tier == "Segcard" &&
                %s
            priority: %d
            minimumCoverage: 0
            dimensions:
              - name: Sentiment
                weight: 100
                measures:
                  - name: CSM sentiment
                    metric: sentiment.csm
                    aggregate: latest
                    window: 90d
                    weight: 100
                    score: { linear: { from: 1, to: 5 } }
            """;

    @Autowired
    MockMvc mvc;

    ScorecardSteps steps;

    @org.junit.jupiter.api.BeforeEach
    void steps() {
        steps = new ScorecardSteps(mvc);
    }

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Clock clock;

    @Test
    void aScorecardNamingASegmentScoresItsMembersAsOfEachDay() throws Exception {
        String member = account("Segcard Member Co");
        String other = account("Segcard Other Co");
        String historic = account("Segcard Historic Co");
        mvc.perform(post("/api/v1/segments/{name}/versions", SEGMENT)
                        .contentType("application/yaml")
                        .content("name: " + SEGMENT + "\ntype: static\n")
                        .with(csrf()))
                .andExpect(status().isCreated());
        mvc.perform(post("/api/v1/segments/{name}/versions/1/publish", SEGMENT).with(csrf()))
                .andExpect(status().isOk());

        // A misspelt segment is refused at the line that names it, with the nearest name, in the API and the editor.
        String misspelt = SCORECARD.formatted("Segcard members", "\"Segcard strategc\" in segments", 9101);
        mvc.perform(post("/api/v1/scorecards/validate")
                        .contentType("application/yaml")
                        .content(misspelt)
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.valid", is(false)))
                .andExpect(jsonPath("$.problems[0].line", is(4)))
                .andExpect(jsonPath("$.problems[0].field", is("appliesTo")))
                .andExpect(jsonPath(
                        "$.problems[0].reason",
                        startsWith(
                                "no published segment is named 'Segcard strategc'; did you mean '" + SEGMENT + "'?")));
        mvc.perform(post("/scorecards/{name}/validate", "Segcard members")
                        .param("yaml", misspelt)
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Line 4, column 6")))
                .andExpect(content().string(containsString("did you mean &#39;" + SEGMENT + "&#39;?")));

        steps.publish(
                "Segcard members", SCORECARD.formatted("Segcard members", "\"" + SEGMENT + "\" in segments", 9101));
        steps.publish("Segcard others", SCORECARD.formatted("Segcard others", "true", 9102));
        steps.awaitScorecard(member, "Segcard others");
        steps.awaitScorecard(other, "Segcard others");

        // Entering the segment moves the account to the segment's scorecard within seconds; leaving it moves it back.
        mvc.perform(post("/api/v1/segments/{name}/members", SEGMENT)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"accountIds\": [\"" + member + "\"]}")
                        .with(csrf()))
                .andExpect(status().is2xxSuccessful());
        steps.awaitScorecard(member, "Segcard members");
        assertThat(steps.scorecardOf(other)).isEqualTo("Segcard others");
        mvc.perform(delete("/api/v1/segments/{name}/members/{account}", SEGMENT, member)
                        .with(csrf()))
                .andExpect(status().is2xxSuccessful());
        steps.awaitScorecard(member, "Segcard others");

        // A hand-built history: in the segment from 20 days ago to 10 days ago. Past days are scored as they stood.
        LocalDate today = LocalDate.now(clock);
        UUID segment = jdbc.sql("select id from account_segment where name = ?")
                .param(SEGMENT)
                .query(UUID.class)
                .single();
        jdbc.sql("insert into account_segment_membership (segment_id, account_id, entered_at, left_at)"
                        + " values (?, ?, ?, ?)")
                .params(
                        segment,
                        UUID.fromString(historic),
                        Timestamp.from(at(today.minusDays(20))),
                        Timestamp.from(at(today.minusDays(10))))
                .update();
        assertThat(scorecardAsOf(historic, today.minusDays(21))).isEqualTo("Segcard others");
        assertThat(scorecardAsOf(historic, today.minusDays(15))).isEqualTo("Segcard members");
        assertThat(scorecardAsOf(historic, today.minusDays(10))).isEqualTo("Segcard others");
        assertThat(scorecardAsOf(historic, today)).isEqualTo("Segcard others");

        mvc.perform(delete("/api/v1/segments/{name}", SEGMENT).with(csrf()))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail", containsString("scorecards [Segcard members]")));
    }

    @Test
    void theCustomersNoScorecardAppliesToLeaveOutTheMembersOfASegmentWithOne() throws Exception {
        String picked = "Segcov picked";
        String inIt = account("Segcov Member Co", "Segcov");
        String outside = account("Segcov Outside Co", "Segcov");
        mvc.perform(post("/api/v1/segments/{name}/versions", picked)
                        .contentType("application/yaml")
                        .content("name: " + picked + "\ntype: static\n")
                        .with(csrf()))
                .andExpect(status().isCreated());
        mvc.perform(post("/api/v1/segments/{name}/versions/1/publish", picked).with(csrf()))
                .andExpect(status().isOk());
        mvc.perform(post("/api/v1/segments/{name}/members", picked)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"accountIds\": [\"" + inIt + "\"]}")
                        .with(csrf()))
                .andExpect(status().is2xxSuccessful());
        assertThat(uncovered("Segcov"))
                .as("before a scorecard applies to the segment")
                .isEqualTo(2);

        steps.publish(
                "Segcov picked",
                SCORECARD
                        .replace("account.tier == \"Segcard\"", "account.tier == \"Segcov\"")
                        .formatted("Segcov picked", "\"" + picked + "\" in segments", 9201));

        assertThat(uncovered("Segcov"))
                .as("the member is covered by the segment's scorecard; the other account is not")
                .isEqualTo(1);
        steps.awaitScorecard(inIt, "Segcov picked");
        assertThat(steps.scorecardOf(outside))
                .as("as the accounts list's No scorecard filter has it, the other account has none")
                .isNull();
    }

    /** How many customers of the tier the Scorecards page counts as without a scorecard. */
    private int uncovered(String tier) throws Exception {
        String body = mvc.perform(get("/api/v1/scorecards/unassigned"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        List<Integer> counts = JsonPath.read(body, "$.groups[?(@.attributes.tier == '" + tier + "')].accounts");
        return counts.stream().mapToInt(Integer::intValue).sum();
    }

    private java.time.Instant at(LocalDate day) {
        return LocalDateTime.of(day, java.time.LocalTime.of(9, 0))
                .atZone(clock.getZone())
                .toInstant();
    }

    private String account(String name) throws Exception {
        return account(name, "Segcard");
    }

    private String account(String name, String tier) throws Exception {
        return steps.account(name, tier);
    }

    private String scorecardAsOf(String account, LocalDate day) throws Exception {
        return JsonPath.read(
                mvc.perform(get("/api/v1/accounts/{id}/health/as-of", account).param("date", day.toString()))
                        .andExpect(status().isOk())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.scorecard");
    }
}
