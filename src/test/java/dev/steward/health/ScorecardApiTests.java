package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.steward.core.StewardTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

@StewardTest
@RecordApplicationEvents
// Creating a scorecard is an ADMIN's; a MANAGER saves and publishes versions (see ScorecardCreationTests).
@WithMockUser(roles = "ADMIN")
class ScorecardApiTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    ApplicationEvents events;

    @Test
    void theShippedScorecardsArePublishedFromTheStart() throws Exception {
        mvc.perform(get("/api/v1/scorecards"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[*].name", hasItems("Enterprise", "Mid-Market", "SMB")))
                .andExpect(jsonPath("$[?(@.name == 'Mid-Market')].publishedVersion", contains(1)))
                .andExpect(jsonPath("$[?(@.name == 'Mid-Market')].priority", contains(20)));
        mvc.perform(get("/api/v1/scorecards/{name}/versions", "Mid-Market"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].version", is(1)))
                .andExpect(jsonPath("$[0].status", is("published")))
                .andExpect(jsonPath("$[0].author", is("Steward (shipped default)")));
        mvc.perform(get("/api/v1/scorecards/{name}/versions/1", "Enterprise").accept("application/yaml"))
                .andExpect(status().isOk())
                .andExpect(content().string(startsWith("# Shipped default scorecard for Enterprise")));
    }

    @Test
    void aDraftWithBadWeightsIsKeptButOnlyItsFixIsPublished() throws Exception {
        save("Strategic", strategic(5, 60, 40)).andExpect(status().isCreated());
        publish("Strategic", 1).andExpect(status().isOk());

        save("Strategic", strategic(5, 60, 30))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", endsWith("/api/v1/scorecards/Strategic/versions/2")))
                .andExpect(jsonPath("$.valid", is(false)))
                .andExpect(jsonPath("$.problems[0].line", is(9)))
                .andExpect(jsonPath("$.problems[0].field", is("dimensions[0].measures")))
                .andExpect(jsonPath("$.problems[0].reason", containsString("total 90")));
        publish("Strategic", 2)
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("dimensions[0].measures")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("line 9")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("total 90")));

        save("Strategic", strategic(5, 70, 30)).andExpect(jsonPath("$.valid", is(true)));
        publish("Strategic", 3).andExpect(status().isOk()).andExpect(jsonPath("$.status", is("published")));

        mvc.perform(get("/api/v1/scorecards/Strategic/versions"))
                .andExpect(jsonPath("$[*].status", contains("published", "draft", "superseded")));
        assertThat(events.stream(ScorecardPublished.class))
                .containsExactly(new ScorecardPublished("Strategic", 1), new ScorecardPublished("Strategic", 3));
        mvc.perform(get("/api/v1/scorecards/Strategic/diff?from=1&to=3"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("-        weight: 60\n")))
                .andExpect(content().string(containsString("+        weight: 70\n")));
    }

    @Test
    void aScorecardWithThePriorityOfAPublishedOneIsNotPublished() throws Exception {
        String yaml = strategic(10, 50, 50).replace("Strategic", "Key Accounts");
        save("Key Accounts", yaml)
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", endsWith("/api/v1/scorecards/Key%20Accounts/versions/1")))
                .andExpect(jsonPath("$.valid", is(true)));
        publish("Key Accounts", 1)
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("priority")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("both have priority 10")));
        mvc.perform(get("/api/v1/scorecards/{name}/versions/1", "Key Accounts"))
                .andExpect(jsonPath("$.status", is("draft")))
                .andExpect(jsonPath("$.yaml", is(yaml)));
    }

    @Test
    void aDocumentMustCarryTheNameItIsSavedUnder() throws Exception {
        save("Renamed", strategic(6, 50, 50))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.valid", is(false)))
                .andExpect(jsonPath("$.problems[0].line", is(1)))
                .andExpect(jsonPath("$.problems[0].field", is("name")));
    }

    @Test
    @WithMockUser(roles = "CSM")
    void aCsmMayNotSaveAScorecard() throws Exception {
        save("Strategic", strategic(5, 50, 50))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath(
                        "$.detail",
                        containsString(
                                "Your role CSM may not change configuration (/api/v1/scorecards/Strategic/versions)")));
    }

    @Test
    @WithMockUser(roles = "MANAGER")
    void aManagerSavesAndPublishesVersionsOfAScorecardThatExists() throws Exception {
        String smb = new org.springframework.core.io.ClassPathResource("health/scorecards/smb.yaml")
                .getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
        save("SMB", smb.replace("minimumCoverage: 0.6", "minimumCoverage: 0.5"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.valid", is(true)));
        save("Managed", strategic(7, 50, 50).replace("Strategic", "Managed"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail", is("Your role MANAGER may not create scorecards; ADMIN may")));
    }

    @Test
    void aNewScorecardsNameIsCheckedBeforeAnythingIsSaved() throws Exception {
        save("Key*Accounts", strategic(8, 50, 50).replace("Strategic", "Key*Accounts"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("name")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("'*' at position 4 is not allowed")));
        save("Conflicted", strategic(8, 50, 50).replace("Strategic", "Conflicted"))
                .andExpect(status().isCreated());
        save("conflicted", strategic(8, 50, 50).replace("Strategic", "conflicted"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath(
                        "$.detail",
                        is("A scorecard named 'Conflicted' exists already (names are compared ignoring case); choose"
                                + " another name, or open it to save a new version")));
        mvc.perform(get("/api/v1/scorecards"))
                .andExpect(jsonPath("$[*].name", org.hamcrest.Matchers.not(hasItems("conflicted"))));
    }

    @Test
    void aDraftIsDeletedButNeverAPublishedVersionAndItsNumberIsNotGivenAgain() throws Exception {
        String yaml = strategic(11, 50, 50).replace("Strategic", "Abandoned");
        save("Abandoned", yaml).andExpect(status().isCreated());
        publish("Abandoned", 1).andExpect(status().isOk());
        save("Abandoned", yaml.replace("weight: 50", "weight: 5")).andExpect(status().isCreated());

        mvc.perform(delete("/api/v1/scorecards/{name}/versions/2", "Abandoned").with(csrf()))
                .andExpect(status().isNoContent());
        mvc.perform(get("/api/v1/scorecards/{name}/versions", "Abandoned"))
                .andExpect(jsonPath("$[*].version", contains(1)));
        mvc.perform(get("/api/v1/scorecards/{name}/versions/2", "Abandoned")).andExpect(status().isNotFound());
        save("Abandoned", yaml)
                .andExpect(header().string("Location", endsWith("/api/v1/scorecards/Abandoned/versions/3")));

        mvc.perform(delete("/api/v1/scorecards/{name}/versions/1", "Abandoned").with(csrf()))
                .andExpect(status().isConflict())
                .andExpect(header().string("Content-Type", containsString("application/problem+json")))
                .andExpect(jsonPath(
                        "$.detail",
                        is("Version 1 of scorecard Abandoned is published; only a draft can be deleted, as every"
                                + " other version has scored accounts")));
        mvc.perform(delete("/api/v1/scorecards/{name}/versions/9", "Abandoned").with(csrf()))
                .andExpect(status().isNotFound());
    }

    @Test
    void deletingTheOnlyDraftOfANewScorecardDeletesTheScorecard() throws Exception {
        save("Scrapped", strategic(12, 50, 50).replace("Strategic", "Scrapped")).andExpect(status().isCreated());
        mvc.perform(delete("/api/v1/scorecards/{name}/versions/1", "Scrapped").with(csrf()))
                .andExpect(status().isNoContent());
        mvc.perform(get("/api/v1/scorecards/{name}/versions", "Scrapped")).andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/scorecards"))
                .andExpect(jsonPath("$[*].name", org.hamcrest.Matchers.not(hasItems("Scrapped"))));
    }

    @Test
    @WithMockUser(roles = "CSM")
    void aCsmMayNotDeleteADraft() throws Exception {
        mvc.perform(delete("/api/v1/scorecards/{name}/versions/1", "SMB").with(csrf()))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail", containsString("Your role CSM may not change configuration")));
    }

    @Test
    void validationSuggestsTheKeyThatWasMeant() throws Exception {
        mvc.perform(post("/api/v1/scorecards/validate")
                        .contentType("application/yaml")
                        .content(strategic(5, 50, 50).replace("weight: 100", "wieght: 100"))
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.valid", is(false)))
                .andExpect(jsonPath(
                        "$.problems[?(@.line == 8)].reason", hasItems(containsString("did you mean 'weight'"))));
    }

    private ResultActions save(String name, String yaml) throws Exception {
        return mvc.perform(post("/api/v1/scorecards/{name}/versions", name)
                .contentType("application/yaml")
                .content(yaml)
                .with(csrf()));
    }

    private ResultActions publish(String name, int version) throws Exception {
        return mvc.perform(post("/api/v1/scorecards/{name}/versions/{version}/publish", name, version)
                .with(csrf()));
    }

    /** A one-dimension scorecard whose two measures weigh {@code first} and {@code second}. */
    private static String strategic(int priority, int first, int second) {
        return """
                name: Strategic
                appliesTo: account.tier == "Strategic"
                priority: %d
                thresholds: { red: 40, yellow: 70 }
                minimumCoverage: 0.6
                dimensions:
                  - name: Product
                    weight: 100
                    measures:
                      - name: Login frequency
                        metric: logins
                        aggregate: sum
                        window: 30d
                        weight: %d
                        score: { linear: { from: 0, to: 100 } }
                      - name: Active users
                        metric: active_users
                        aggregate: average
                        window: 30d
                        weight: %d
                        score: { linear: { from: 0, to: 10 } }
                """.formatted(priority, first, second);
    }
}
