package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Accounts that no scorecard applies to are counted and listed; an administrator creates scorecards for them from a
 * template (one generated from the data of a small book whose figures are worked out by hand, a skeleton, a copy),
 * publishes them, and the accounts are scored.
 */
@StewardTest
// A database of its own: the scorecards published here would score the accounts of other tests.
@TestPropertySource(properties = "steward.test.context=scorecard-creation")
@WithMockUser(roles = "ADMIN")
class ScorecardCreationTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    HealthScoring scoring;

    @Test
    void unscoredAccountsAreCountedThenScoredByScorecardsCreatedFromTemplates() throws Exception {
        LocalDate today = scoring.today();
        book(today);
        scoring.rescoreAll(today);

        // Four Basic and two Pro customers and one without a segment; the Basic account that left is counted apart.
        mvc.perform(get("/api/v1/scorecards/unassigned"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.accounts", is(7)))
                .andExpect(jsonPath("$.formerCustomers", is(1)))
                .andExpect(jsonPath("$.decidedBy", contains("tier")))
                .andExpect(jsonPath("$.groups[*].label", contains("Basic", "Pro", "no tier")))
                .andExpect(jsonPath("$.groups[*].accounts", contains(4, 2, 1)))
                .andExpect(jsonPath("$.groups[0].attributes.tier", is("Basic")))
                .andExpect(jsonPath("$.groups[0].appliesTo", is("account.tier == \"Basic\"")))
                .andExpect(jsonPath("$.groups[0].suggestedName", is("Basic")))
                .andExpect(jsonPath("$.groups[0].listPath", is("/accounts?health=unscored&tier=Basic")))
                .andExpect(jsonPath("$.groups[0].apiPath", is("/api/v1/accounts?health=unscored&tier=Basic")))
                .andExpect(jsonPath("$.groups[2].attributes.tier", nullValue()))
                .andExpect(jsonPath("$.groups[2].appliesTo", is("!has(account.tier)")))
                .andExpect(jsonPath("$.groups[2].suggestedName", is("No tier")))
                .andExpect(jsonPath("$.groups[2].listPath").doesNotExist())
                .andExpect(jsonPath("$.groups[0].arr", is(12_000.0)))
                .andExpect(jsonPath("$.groups[1].arr", is(0.0)));
        mvc.perform(get("/api/v1/accounts?health=unscored&tier=Basic&sort=name"))
                .andExpect(
                        jsonPath("$.items[*].name", contains("Basic Four", "Basic One", "Basic Three", "Basic Two")));
        assertThat(unscoredAccounts()).isEqualTo(7);

        // Every problem of a request at once, each with its field.
        create("""
                        {"name": "Basic/Pro", "appliesTo": "account.tire == 'Basic'", "priority": 30,
                         "template": "magic"}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[*].field", contains("name", "appliesTo", "priority", "template")))
                .andExpect(jsonPath(
                        "$.errors[0].reason",
                        is("may hold letters, digits, spaces and - _ . & ( ) only; '/' at position 6 is not allowed")))
                .andExpect(jsonPath("$.errors[1].reason", startsWith("does not compile as CEL: ")))
                .andExpect(jsonPath(
                        "$.errors[2].reason",
                        is("30 is the priority of SMB; priorities must differ so that each account gets exactly"
                                + " one scorecard (40 is free)")))
                .andExpect(jsonPath("$.errors[3].reason", is("'magic' is not a template; use data, blank or copy")));
        create("""
                        {"name": "smb", "appliesTo": "true", "template": "blank"}""")
                .andExpect(status().isConflict())
                .andExpect(jsonPath(
                        "$.detail",
                        is("A scorecard named 'SMB' exists already (names are compared ignoring case); choose another"
                                + " name, or open it to save a new version")));
        create("""
                        {"name": "Nobody", "appliesTo": "account.tier == \\"Platinum\\"", "template": "data"}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("appliesTo")))
                .andExpect(jsonPath("$.errors[0].reason", startsWith("no customer would be scored by this scorecard")));

        // Generated from the data of the four Basic customers (worked by hand in book()): reports run 10, 20, 30, 40
        // (10th and 90th percentile 13 and 37); tickets 3, 1, 0, 0 (0 and 2.4, fewer is better); tenure 10 and 20
        // for two of them (11 and 19). Escalations are 0 for all, one has a contract, nobody answered NPS.
        String basic = create("""
                        {"name": "Basic", "appliesTo": "account.tier == \\"Basic\\"", "template": "data"}""")
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", endsWith("/api/v1/scorecards/Basic/versions/1")))
                .andExpect(jsonPath("$.draft.version", is(1)))
                .andExpect(jsonPath("$.draft.status", is("draft")))
                .andExpect(jsonPath("$.draft.valid", is(true)))
                .andExpect(jsonPath("$.template.kind", is("data")))
                .andExpect(jsonPath("$.template.asOf", is(today.toString())))
                .andExpect(jsonPath("$.template.accounts", is(4)))
                .andExpect(jsonPath(
                        "$.template.measures[?(@.included == true)].metric",
                        contains("reports_run", "tickets.count", "attribute.tenure_months")))
                .andExpect(jsonPath("$.template.measures[?(@.metric == 'reports_run')].accountsWithData", contains(4)))
                .andExpect(jsonPath("$.template.measures[?(@.metric == 'reports_run')].from", contains(13.0)))
                .andExpect(jsonPath("$.template.measures[?(@.metric == 'reports_run')].to", contains(37.0)))
                .andExpect(jsonPath("$.template.measures[?(@.metric == 'tickets.count')].from", contains(2.4)))
                .andExpect(jsonPath("$.template.measures[?(@.metric == 'tickets.count')].to", contains(0.0)))
                .andExpect(jsonPath(
                        "$.template.measures[?(@.metric == 'attribute.tenure_months')].accountsWithData", contains(2)))
                .andExpect(
                        jsonPath("$.template.measures[?(@.metric == 'attribute.tenure_months')].from", contains(11.0)))
                .andExpect(jsonPath("$.template.measures[?(@.metric == 'attribute.tenure_months')].to", contains(19.0)))
                .andExpect(jsonPath(
                        "$.template.measures[?(@.metric == 'tickets.escalated')].leftOut",
                        contains("the same value (0) for all 4 accounts with data, so it cannot tell accounts apart")))
                .andExpect(jsonPath(
                        "$.template.measures[?(@.metric == 'contracts.days_to_renewal')].leftOut",
                        contains("only 1 account has data, so it cannot tell accounts apart")))
                .andExpect(jsonPath(
                        "$.template.measures[?(@.metric == 'surveys.nps')].leftOut",
                        contains("no data for any of the 4 accounts")))
                .andExpect(jsonPath(
                        "$.template.measures[?(@.metric == 'logins')].leftOut",
                        contains("no data for any of the 4 accounts")))
                .andReturn()
                .getResponse()
                .getContentAsString();
        String yaml = JsonPath.read(basic, "$.draft.yaml");
        assertThat(yaml)
                .startsWith("# Generated on " + today + " by ")
                .contains("#   Reports run (reports_run): 4 of 4\n")
                .contains("#   Tenure months (attribute.tenure_months): 2 of 4\n")
                .contains("\nname: Basic\nappliesTo: account.tier == \"Basic\"\npriority: 40\n");
        // The comments say what was left out and why, wrapped to read in the editor.
        List<String> comments =
                yaml.lines().filter(line -> line.startsWith("#")).toList();
        assertThat(comments).allMatch(line -> line.length() <= ScorecardCreation.COMMENT_WIDTH);
        String said = String.join(
                " ", comments.stream().map(line -> line.substring(1).strip()).toList());
        assertThat(said)
                .contains("Escalations (tickets.escalated): the same value (0) for all 4 accounts with data, so it"
                        + " cannot tell accounts apart")
                .contains("Days to renewal (contracts.days_to_renewal): only 1 account has data")
                .containsPattern("No data for any of them: .*surveys\\.nps");
        mvc.perform(get("/api/v1/scorecards/Basic/versions/1").accept("application/yaml"))
                .andExpect(status().isOk());

        // A skeleton for Pro and a copy of SMB for the accounts without a segment; each gets the next priority.
        create("""
                        {"name": "Pro", "appliesTo": "account.tier == \\"Pro\\"", "template": "blank"}""")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.draft.valid", is(true)))
                .andExpect(jsonPath("$.draft.yaml", containsString("\npriority: 50\n")))
                .andExpect(jsonPath("$.draft.yaml", containsString("metric: tickets.count")));
        create("""
                        {"name": "No tier", "appliesTo": "!has(account.tier)", "template": "copy", "copyOf": "SMB"}""")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.template.copiedFrom", is("SMB")))
                .andExpect(jsonPath("$.template.copiedVersion", is(1)))
                .andExpect(jsonPath("$.draft.yaml", startsWith("# A copy of SMB v1, made on " + today)))
                .andExpect(jsonPath("$.draft.yaml", containsString("\npriority: 60\n")))
                .andExpect(jsonPath("$.draft.yaml", containsString("name: Login frequency")));
        mvc.perform(get("/api/v1/scorecards"))
                .andExpect(jsonPath("$[?(@.name == 'Basic')].latestDraft", contains(1)))
                .andExpect(jsonPath("$[?(@.name == 'Basic')].publishedVersion", org.hamcrest.Matchers.empty()));

        // Publishing with the existing flow: the count drops at once, and the re-score gives the accounts scores.
        publish("Basic");
        mvc.perform(get("/api/v1/scorecards/unassigned"))
                .andExpect(jsonPath("$.accounts", is(3)))
                .andExpect(jsonPath("$.groups[*].label", contains("Pro", "no tier")));
        publish("Pro");
        publish("No tier");
        mvc.perform(get("/api/v1/scorecards/unassigned"))
                .andExpect(jsonPath("$.accounts", is(0)))
                // Gone Basic has a scorecard now too, though as a former customer it is not scored.
                .andExpect(jsonPath("$.formerCustomers", is(0)))
                .andExpect(jsonPath("$.groups", org.hamcrest.Matchers.empty()));
        await("every customer scored after publishing")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .pollInSameThread()
                .until(this::unscoredAccounts, count -> count == 0);
        mvc.perform(get("/api/v1/accounts?tier=Basic&sort=name&health=red,yellow,green,black"))
                .andExpect(
                        jsonPath("$.items[*].name", contains("Basic Four", "Basic One", "Basic Three", "Basic Two")));
        String basicOne = JsonPath.<List<String>>read(
                        mvc.perform(get("/api/v1/accounts?q=Basic One"))
                                .andReturn()
                                .getResponse()
                                .getContentAsString(),
                        "$.items[*].id")
                .get(0);
        // Basic One: 10 reports (13 to 37: 0 points), 3 tickets (2.4 to 0: 0 points), tenure 10 (11 to 19: 0 points).
        mvc.perform(get("/api/v1/accounts/" + basicOne + "/health"))
                .andExpect(jsonPath("$.scorecard", is("Basic")))
                .andExpect(jsonPath("$.scorecardVersion", is(1)))
                .andExpect(jsonPath("$.score", is(0.0)))
                .andExpect(jsonPath("$.color", is("red")));
        mvc.perform(get("/api/v1/accounts?health=churned"))
                .andExpect(jsonPath("$.items[*].name", contains("Gone Basic")));
        mvc.perform(get("/api/v1/accounts?q=Nameless"))
                .andExpect(jsonPath("$.items[0].health.color", org.hamcrest.Matchers.notNullValue()));
        mvc.perform(get("/api/v1/accounts?tier=Pro&health=unscored"))
                .andExpect(jsonPath("$.items", org.hamcrest.Matchers.empty()));
        mvc.perform(get("/api/v1/accounts?tier=Pro"))
                .andExpect(jsonPath(
                        "$.items[*].health.color",
                        containsInAnyOrder(
                                org.hamcrest.Matchers.notNullValue(), org.hamcrest.Matchers.notNullValue())));

        // An account that moves to a segment no scorecard applies to loses its health at the next re-score.
        String etag = mvc.perform(get("/api/v1/accounts/" + basicOne))
                .andReturn()
                .getResponse()
                .getHeader("ETag");
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch(
                                "/api/v1/accounts/" + basicOne)
                        .with(csrf())
                        .header("If-Match", etag)
                        .contentType("application/merge-patch+json")
                        .content("{\"tier\": \"Drifting\"}"))
                .andExpect(status().isOk());
        mvc.perform(get("/api/v1/scorecards/unassigned"))
                .andExpect(jsonPath("$.accounts", is(1)))
                .andExpect(jsonPath("$.groups[0].label", is("Drifting")));
        scoring.rescoreAll(today);
        mvc.perform(get("/api/v1/accounts/" + basicOne))
                .andExpect(jsonPath("$.health").doesNotExist())
                .andExpect(jsonPath("$.churn").doesNotExist());
        mvc.perform(get("/api/v1/accounts?health=unscored"))
                .andExpect(jsonPath("$.items[*].name", contains("Basic One")));
    }

    @Test
    @WithMockUser(roles = "MANAGER")
    void onlyAnAdministratorCreatesAScorecard() throws Exception {
        create("""
                        {"name": "Managers", "appliesTo": "true", "template": "blank"}""")
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail", is("Your role MANAGER may not create scorecards; ADMIN may")));
        // Nor by saving a first draft under a new name; a manager still saves new versions of existing ones.
        mvc.perform(post("/api/v1/scorecards/Managers/versions")
                        .with(csrf())
                        .contentType("application/yaml")
                        .content("name: Managers\n"))
                .andExpect(status().isForbidden());
        mvc.perform(get("/api/v1/scorecards/Managers/versions")).andExpect(status().isNotFound());
    }

    @Test
    void aNewScorecardMayNotTakeThePathOfThePageThatCreatesThem() throws Exception {
        create("""
                        {"name": "New", "appliesTo": "true", "template": "blank"}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("name")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("the page that creates scorecards")));
        create("""
                        {"name": "Later", "appliesTo": "true", "template": "data", "asOf": "2099-01-01"}""").andExpect(status().isUnprocessableContent()).andExpect(jsonPath("$.errors[0].field", is("asOf")));
        create("""
                        {"name": "Copied", "appliesTo": "true", "template": "copy", "copyOf": "Nothing"}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("copyOf")))
                .andExpect(jsonPath("$.errors[0].reason", startsWith("no scorecard is named 'Nothing'")));
    }

    /**
     * The small book: Basic One to Four (reports run 10, 20, 30, 40 today; 3 tickets, 1, none, none in the last
     * weeks; tenure 10 months for One and 20 for Three; One has a contract of $12,000 ARR), Pro One and Two, Nameless
     * without a segment, Small Co (SMB) and Gone Basic, whose only contract ended in December.
     */
    private void book(LocalDate today) throws Exception {
        send(post("/api/v1/usage/metrics"), """
                        {"key": "reports_run", "name": "Reports run", "unit": "reports", "aggregation": "sum"}""").andExpect(status().isCreated());
        send(post("/api/v1/accounts/bulk").param("source", "book"), """
                        {"records": [
                          {"externalId": "B1", "name": "Basic One", "tier": "Basic"},
                          {"externalId": "B2", "name": "Basic Two", "tier": "Basic"},
                          {"externalId": "B3", "name": "Basic Three", "tier": "Basic"},
                          {"externalId": "B4", "name": "Basic Four", "tier": "Basic"},
                          {"externalId": "P1", "name": "Pro One", "tier": "Pro"},
                          {"externalId": "P2", "name": "Pro Two", "tier": "Pro"},
                          {"externalId": "N1", "name": "Nameless"},
                          {"externalId": "S1", "name": "Small Co", "tier": "SMB"},
                          {"externalId": "G1", "name": "Gone Basic", "tier": "Basic"}]}""").andExpect(status().isOk());
        send(post("/api/v1/usage/bulk").param("source", "book"), """
                        {"records": [
                          {"accountExternalId": "B1", "day": "%1$s", "metric": "reports_run", "value": 10},
                          {"accountExternalId": "B2", "day": "%1$s", "metric": "reports_run", "value": 20},
                          {"accountExternalId": "B3", "day": "%1$s", "metric": "reports_run", "value": 30},
                          {"accountExternalId": "B4", "day": "%1$s", "metric": "reports_run", "value": 40}]}""".formatted(today))
                .andExpect(status().isOk());
        send(post("/api/v1/tickets/bulk").param("source", "book"), """
                        {"records": [
                          {"externalId": "T1", "accountExternalId": "B1", "openedAt": "%1$sT09:00:00Z", "subject": "a"},
                          {"externalId": "T2", "accountExternalId": "B1", "openedAt": "%1$sT10:00:00Z", "subject": "b"},
                          {"externalId": "T3", "accountExternalId": "B1", "openedAt": "%2$sT09:00:00Z", "subject": "c"},
                          {"externalId": "T4", "accountExternalId": "B2", "openedAt": "%2$sT09:00:00Z", "subject": "d"}]}""".formatted(
                                today.minusDays(10), today.minusDays(3)))
                .andExpect(status().isOk());
        send(post("/api/v1/account-attributes/bulk").param("source", "book"), """
                        {"records": [
                          {"accountExternalId": "B1", "name": "tenure_months", "asOf": "%1$s", "value": 10},
                          {"accountExternalId": "B3", "name": "tenure_months", "asOf": "%1$s", "value": 20}]}""".formatted(today.minusDays(1)))
                .andExpect(status().isOk());
        send(post("/api/v1/contracts/bulk").param("source", "book"), """
                        {"records": [
                          {"externalId": "C1", "accountExternalId": "B1", "startDate": "2025-06-01",
                           "endDate": "2026-06-01", "arr": 12000},
                          {"externalId": "C2", "accountExternalId": "G1", "startDate": "2025-01-01",
                           "endDate": "2025-12-31", "arr": 5000}]}""").andExpect(status().isOk());
    }

    /** Customers without a health score, as the accounts list counts them. */
    private int unscoredAccounts() throws Exception {
        return JsonPath.<List<Object>>read(
                        mvc.perform(get("/api/v1/accounts?health=unscored&limit=500"))
                                .andReturn()
                                .getResponse()
                                .getContentAsString(),
                        "$.items")
                .size();
    }

    private ResultActions create(String json) throws Exception {
        return send(post("/api/v1/scorecards"), json);
    }

    private void publish(String name) throws Exception {
        mvc.perform(post("/api/v1/scorecards/{name}/versions/1/publish", name).with(csrf()))
                .andExpect(status().isOk());
    }

    private ResultActions send(MockHttpServletRequestBuilder request, String json) throws Exception {
        return mvc.perform(
                request.with(csrf()).contentType(MediaType.APPLICATION_JSON).content(json));
    }
}
