package dev.steward.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.steward.core.Pilot;
import dev.steward.core.StewardTest;
import dev.steward.health.engine.KnownSegments;
import dev.steward.health.engine.ScorecardCheck;
import dev.steward.health.engine.ScorecardDocuments;
import dev.steward.identity.Role;
import dev.steward.identity.UserManagement;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The pilot group: CSMs flagged and accounts picked by hand make up the segment Pilot within seconds; a scorecard with
 * {@code pilot: true} scores only its members, and an account follows its owner out of it; a playbook may say
 * {@code pilot: true}; only managers and administrators change the group, and only people who own accounts are flagged.
 */
@StewardTest
@WithUserDetails("admin@steward.local")
class PilotTests {

    private static final String SCORECARD = """
            name: %s
            appliesTo: account.tier == "Pilotest"
            %spriority: %d
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
    UserManagement people;

    @Autowired
    SegmentManagement segments;

    @Test
    void theAccountsOfFlaggedPeopleAndThosePickedByHandArePilotedAndOnlyTheyGetAPilotScorecard() throws Exception {
        people.createIfAbsent("pilot.ada@example.com", "Pilot Ada", Role.CSM);
        people.createIfAbsent("pilot.ben@example.com", "Pilot Ben", Role.CSM);
        people.createIfAbsent("pilot.viewer@example.com", "Pilot Viewer", Role.VIEWER);
        String adas = account("Pilotest Ada Co");
        String bens = account("Pilotest Ben Co");
        String picked = account("Pilotest Picked Co");
        assign(adas, "pilot.ada@example.com");
        assign(bens, "pilot.ben@example.com");

        mvc.perform(put("/api/v1/pilot/people/{email}", "pilot.ada@example.com").with(csrf()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.people", hasItem("pilot.ada@example.com")))
                .andExpect(jsonPath("$.setUp", is(true)));
        mvc.perform(post("/api/v1/segments/{name}/members", Pilot.PICKED)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"accountIds\": [\"" + picked + "\"]}")
                        .with(csrf()))
                .andExpect(status().is2xxSuccessful());
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(pilotMembers())
                        .contains(UUID.fromString(adas), UUID.fromString(picked))
                        .doesNotContain(UUID.fromString(bens)));

        steps.publish("Pilotest pilot card", SCORECARD.formatted("Pilotest pilot card", "pilot: true\n", 9301));
        steps.publish("Pilotest others", SCORECARD.formatted("Pilotest others", "", 9302));
        steps.awaitScorecard(adas, "Pilotest pilot card");
        steps.awaitScorecard(picked, "Pilotest pilot card");
        steps.awaitScorecard(bens, "Pilotest others");
        mvc.perform(get("/api/v1/pilot"))
                .andExpect(jsonPath("$.accounts", is(pilotMembers().size())));

        // Taken out of the pilot, Ada's account leaves the group and goes back to the scorecard everyone else has.
        mvc.perform(delete("/api/v1/pilot/people/{email}", "pilot.ada@example.com")
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.people", not(hasItem("pilot.ada@example.com"))));
        steps.awaitScorecard(adas, "Pilotest others");
        assertThat(steps.scorecardOf(picked)).isEqualTo("Pilotest pilot card");

        // A playbook for the pilot only is accepted; a wrong value is refused at its field.
        mvc.perform(post("/api/v1/playbooks/{name}/versions", "Pilotest renewal")
                        .contentType("application/yaml")
                        .content(playbook("true"))
                        .with(csrf()))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.valid", is(true)));
        mvc.perform(post("/api/v1/playbooks/{name}/versions", "Pilotest renewal")
                        .contentType("application/yaml")
                        .content(playbook("sometimes"))
                        .with(csrf()))
                .andExpect(jsonPath("$.valid", is(false)))
                .andExpect(jsonPath("$.problems[0].field", is("pilot")));

        // Only people who own accounts are flagged; only managers and administrators change the group.
        mvc.perform(put("/api/v1/pilot/people/{email}", "pilot.viewer@example.com")
                        .with(csrf()))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("email")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("only CSMs and managers")));
        mvc.perform(put("/api/v1/pilot/people/{email}", "pilot.ben@example.com")
                        .with(user("pilot.ben@example.com").roles("CSM"))
                        .with(csrf()))
                .andExpect(status().isForbidden());

        mvc.perform(get("/settings/pilot"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Pilot Ada")))
                .andExpect(content().string(containsString("% of ")))
                .andExpect(content().string(containsString("Add to the pilot")))
                .andExpect(content().string(containsString("name=\"_csrf\"")));
        mvc.perform(post("/settings/pilot/people")
                        .param("email", "pilot.ben@example.com")
                        .param("pilot", "true")
                        .with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash()
                        .attribute("message", "pilot.ben@example.com is in the pilot"));
        mvc.perform(get("/api/v1/pilot")).andExpect(jsonPath("$.people", hasItem("pilot.ben@example.com")));
    }

    @Test
    void aScorecardForThePilotIsCheckedAsWrittenAndAppliesOnlyToThePilotGroup() {
        String yaml = SCORECARD.formatted("Pilot only", "pilot: true\n", 1);
        ScorecardCheck without =
                new ScorecardDocuments(Set.of(), new KnownSegments(true, Set.of(), Set.of())).read(yaml);
        assertThat(without.problems()).anySatisfy(problem -> {
            assertThat(problem.field()).isEqualTo("pilot");
            assertThat(problem.line()).isEqualTo(3);
            assertThat(problem.reason()).contains("Settings → Pilot");
        });
        ScorecardCheck with =
                new ScorecardDocuments(Set.of(), new KnownSegments(true, Set.of(Pilot.SEGMENT), Set.of())).read(yaml);
        assertThat(with.problems()).isEmpty();
        assertThat(with.scorecard().appliesTo()).isEqualTo("\"Pilot\" in segments && (account.tier == \"Pilotest\")");
        assertThat(new ScorecardDocuments(Set.of(), new KnownSegments(true, Set.of(Pilot.SEGMENT), Set.of()))
                        .read(yaml.replace("pilot: true", "pilot: maybe"))
                        .problems())
                .anySatisfy(problem -> assertThat(problem.field()).isEqualTo("pilot"));
    }

    private Set<UUID> pilotMembers() {
        return segments.memberIds(Pilot.SEGMENT).orElse(Set.of());
    }

    private static String playbook(String pilot) {
        return """
                name: Pilotest renewal
                trigger:
                  type: renewal
                  days: 120
                pilot: %s
                cta:
                  type: renewal
                  title: "Renewal of {account}"
                  priority: auto
                  slaDays: 10
                  owner: csm
                tasks:
                  - title: Confirm the decision makers
                    dueDays: 5
                    assignee: csm
                """.formatted(pilot);
    }

    private String account(String name) throws Exception {
        return steps.account(name, "Pilotest");
    }

    private void assign(String account, String owner) throws Exception {
        mvc.perform(put("/api/v1/accounts/{id}/owner", account)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"owner\": \"" + owner + "\", \"reason\": \"pilot test\"}")
                        .with(csrf()))
                .andExpect(status().isOk());
    }
}
