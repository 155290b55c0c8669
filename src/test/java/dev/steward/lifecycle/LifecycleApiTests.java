package dev.steward.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** The customer journey through the API: stages follow contracts within seconds, moves by hand hold with a reason. */
@StewardTest
@WithMockUser(roles = "MANAGER")
class LifecycleApiTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    Clock clock;

    @Autowired
    LifecycleManagement lifecycle;

    @Test
    void theShippedJourneyPlacesAccountsByTheirContractsWithinSeconds() throws Exception {
        LocalDate today = LocalDate.now(clock);
        mvc.perform(get("/api/v1/lifecycle/journey"))
                .andExpect(status().isOk())
                .andExpect(jsonPath(
                        "$.stages[*].key",
                        contains("onboarding", "adoption", "growth", "renewal", "at_risk", "churned")));
        // Version 1 is the shipped journey, published on start (another test here publishes a later version).
        mvc.perform(get("/api/v1/lifecycle/journey/versions/1"))
                .andExpect(jsonPath("$.author", is(LifecycleManagement.SHIPPED_AUTHOR)))
                .andExpect(jsonPath("$.publishedAt").exists());
        String fresh = account("Journey New Co", today.minusDays(30), today.plusDays(335));
        String renewing = account("Journey Renewing Co", today.minusDays(300), today.plusDays(65));
        String settled = account("Journey Settled Co", today.minusDays(200), today.plusDays(165));

        awaitStage(fresh, "onboarding");
        awaitStage(renewing, "renewal");
        awaitStage(settled, "adoption");
        mvc.perform(get("/api/v1/accounts/{id}/stage", renewing))
                .andExpect(jsonPath("$.current.stageName", is("Renewal")))
                .andExpect(jsonPath("$.current.cause", is("rule")))
                .andExpect(jsonPath("$.current.days", is(0)));
        mvc.perform(get("/api/v1/lifecycle/stages/renewal/accounts"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.accounts[*].name", hasItem("Journey Renewing Co")));
        mvc.perform(get("/api/v1/lifecycle/stages/renewal/accounts").param("limit", "1"))
                .andExpect(jsonPath("$.accounts.length()", is(1)));
        mvc.perform(get("/api/v1/lifecycle/stages/renewal/accounts").param("limit", "501"))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("limit")));
        mvc.perform(get("/api/v1/lifecycle/stages/renewals/accounts")).andExpect(status().isNotFound());
    }

    @Test
    void aMoveByHandNeedsAReasonAndHoldsAgainstTheRulesUntilItsDay() throws Exception {
        LocalDate today = LocalDate.now(clock);
        String account = account("Journey Held Co", today.minusDays(200), today.plusDays(165));
        awaitStage(account, "adoption");

        send(post("/api/v1/accounts/{id}/stage", account), """
                        {"stage": "at-risk", "reason": "Champion left", "holdUntil": "%s"}""".formatted(today.plusDays(14)))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("stage")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("did you mean 'at_risk'?")));
        send(post("/api/v1/accounts/{id}/stage", account), """
                        {"stage": "at_risk", "reason": " ", "holdUntil": "%s"}""".formatted(today.plusDays(14)))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("reason")));
        send(post("/api/v1/accounts/{id}/stage", account), """
                        {"stage": "at_risk", "reason": "Champion left", "holdUntil": "%s"}""".formatted(today))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("holdUntil")));
        send(post("/api/v1/accounts/{id}/stage", "00000000-0000-0000-0000-000000000001"), """
                        {"stage": "at_risk", "reason": "Champion left", "holdUntil": "%s"}""".formatted(
                                today.plusDays(14)))
                .andExpect(status().isNotFound());

        send(post("/api/v1/accounts/{id}/stage", account), """
                        {"stage": "at_risk", "reason": "Champion left", "holdUntil": "%s"}""".formatted(today.plusDays(14)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.current.stage", is("at_risk")))
                .andExpect(jsonPath("$.current.cause", is("manual")))
                .andExpect(jsonPath("$.current.reason", is("Champion left")))
                .andExpect(jsonPath("$.current.holdUntil", is(today.plusDays(14).toString())));

        // A change that has the rules decide again: the hold keeps the account where it was put.
        rename(account, "Journey Held Co (renamed)");
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> mvc.perform(get("/api/v1/accounts/" + account))
                        .andExpect(jsonPath("$.name", is("Journey Held Co (renamed)"))));
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(10))
                .pollInSameThread()
                .untilAsserted(() -> mvc.perform(get("/api/v1/accounts/{id}/stage", account))
                        .andExpect(jsonPath("$.current.stage", is("at_risk"))));
        mvc.perform(get("/api/v1/accounts/{id}/stage", account))
                .andExpect(jsonPath("$.history[*].stage", contains("at_risk", "adoption")))
                .andExpect(jsonPath("$.history[1].cause", is("rule")))
                .andExpect(jsonPath("$.history[1].leftAt", is(clock.instant().toString())))
                .andExpect(jsonPath("$.history[0].leftAt").doesNotExist());
    }

    @Test
    void onboardingLastsUntilItsMilestonesAreDoneAndTimeToValueIsCounted() throws Exception {
        LocalDate today = LocalDate.now(clock);
        String account = account("Journey Onboarding Co", today.minusDays(30), today.plusDays(335));
        awaitStage(account, "onboarding");
        mvc.perform(get("/api/v1/accounts/{id}/stage", account))
                .andExpect(
                        jsonPath("$.milestones[*].key", contains("kickoff", "integration", "first_value", "training")))
                .andExpect(jsonPath("$.milestones[0].status", is("overdue")))
                .andExpect(
                        jsonPath("$.milestones[0].dueOn", is(today.minusDays(23).toString())))
                .andExpect(jsonPath("$.milestones[1].status", is("due")))
                .andExpect(jsonPath("$.milestonesOverdue", is(1)));

        send(post("/api/v1/accounts/{id}/milestones/{m}", account, "kickoff"), """
                        {"completedOn": "%s"}""".formatted(today.plusDays(1)))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("completedOn")));
        send(post("/api/v1/accounts/{id}/milestones/{m}", account, "kickof"), "{}")
                .andExpect(status().isNotFound());
        send(post("/api/v1/accounts/{id}/milestones/{m}", account, "kickoff"), """
                        {"completedOn": "%s", "note": "Kick-off with the IT lead"}""".formatted(today.minusDays(25)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.milestones[0].status", is("done")))
                .andExpect(jsonPath("$.milestones[0].note", is("Kick-off with the IT lead")));
        send(post("/api/v1/accounts/{id}/milestones/{m}", account, "integration"), "{}")
                .andExpect(status().isOk());
        send(post("/api/v1/accounts/{id}/milestones/{m}", account, "first_value"), """
                        {"completedOn": "%s"}""".formatted(today.minusDays(2)))
                .andExpect(jsonPath("$.timeToValueDays", is(28)));
        // Three of four done: still onboarding.
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .pollInSameThread()
                .untilAsserted(() -> mvc.perform(get("/api/v1/accounts/{id}/stage", account))
                        .andExpect(jsonPath("$.current.stage", is("onboarding"))));
        send(post("/api/v1/accounts/{id}/milestones/{m}", account, "training"), "{}")
                .andExpect(jsonPath("$.milestonesDone", is(4)));
        awaitStage(account, "adoption");
        // Across new customers (other tests' accounts too): this one has done all and reached value in 28 days.
        String journey = mvc.perform(get("/api/v1/lifecycle/journey"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(JsonPath.<Integer>read(journey, "$.onboarding.allDone")).isPositive();
        assertThat(JsonPath.<Integer>read(journey, "$.onboarding.reachedValue")).isPositive();
        assertThat(JsonPath.<List<Integer>>read(journey, "$.onboarding.milestones[?(@.key == 'first_value')].done"))
                .isNotEmpty()
                .allSatisfy(done -> assertThat(done).isPositive());

        mvc.perform(delete("/api/v1/accounts/{id}/milestones/{m}", account, "training")
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.milestonesDone", is(3)));
        awaitStage(account, "onboarding");
    }

    @Test
    void aHoldByHandEndsEarlyWhenTheStagesExitRuleHolds() throws Exception {
        LocalDate today = LocalDate.now(clock);
        // The shipped journey, with an exit rule on Renewal: a hold there ends once the renewal is signed.
        String yaml = new org.springframework.core.io.ClassPathResource(LifecycleManagement.SHIPPED)
                .getContentAsString(java.nio.charset.StandardCharsets.UTF_8)
                .replace(
                        "    entry: account.daysToRenewal >= 0 && account.daysToRenewal <= 120\n",
                        "    entry: account.daysToRenewal >= 0 && account.daysToRenewal <= 120\n"
                                + "    exit: account.daysToRenewal > 120\n");
        assertThat(yaml).contains("exit: account.daysToRenewal > 120");
        String saved = mvc.perform(post("/api/v1/lifecycle/journey/versions")
                        .contentType("application/yaml")
                        .content(yaml)
                        .with(csrf()))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.valid", is(true)))
                .andReturn()
                .getResponse()
                .getContentAsString();
        int version = JsonPath.read(saved, "$.version");
        mvc.perform(post("/api/v1/lifecycle/journey/versions/{v}/publish", version)
                        .with(csrf()))
                .andExpect(status().isOk());
        mvc.perform(get("/api/v1/lifecycle/journey"))
                .andExpect(jsonPath("$.version", is(version)))
                .andExpect(jsonPath("$.stages[3].exit", is("account.daysToRenewal > 120")))
                .andExpect(jsonPath("$.stages[0].exit").doesNotExist());

        String renewing = account("Journey Exit Co", today.minusDays(300), today.plusDays(65));
        String contract = JsonPath.<List<String>>read(
                        mvc.perform(get("/api/v1/accounts/{id}/contracts", renewing))
                                .andReturn()
                                .getResponse()
                                .getContentAsString(),
                        "$.items[*].id")
                .get(0);
        awaitStage(renewing, "renewal");
        // Held in Renewal past the renewal date, while the new contract is negotiated.
        send(post("/api/v1/accounts/{id}/stage", renewing), """
                        {"stage": "renewal", "reason": "Renewal under negotiation", "holdUntil": "%s"}""".formatted(today.plusDays(120)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.current.cause", is("manual")));
        // A hold that its exit rule would end at once is refused.
        String settled = account("Journey Exit Settled Co", today.minusDays(200), today.plusDays(165));
        awaitStage(settled, "adoption");
        send(post("/api/v1/accounts/{id}/stage", settled), """
                        {"stage": "renewal", "reason": "Early talks", "holdUntil": "%s"}""".formatted(today.plusDays(30)))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("stage")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("exit rule of Renewal")));

        // Signed: the contract now runs 430 more days. The exit rule holds, the hold ends, and the rules decide.
        String etag = mvc.perform(get("/api/v1/contracts/{id}", contract))
                .andReturn()
                .getResponse()
                .getHeader("ETag");
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch(
                                "/api/v1/contracts/{id}", contract)
                        .header("If-Match", etag)
                        .contentType("application/merge-patch+json")
                        .content("{\"endDate\": \"%s\"}".formatted(today.plusDays(430)))
                        .with(csrf()))
                .andExpect(status().isOk());
        awaitStage(renewing, "adoption");
        // The account carries the stage the rules decided once the hold ended, as the accounts list shows it.
        mvc.perform(get("/api/v1/accounts/{id}", renewing)).andExpect(jsonPath("$.stage.key", is("adoption")));
        mvc.perform(get("/api/v1/accounts/{id}/stage", renewing))
                .andExpect(jsonPath("$.history[*].stage", contains("adoption", "renewal", "renewal")))
                .andExpect(jsonPath("$.history[0].cause", is("rule")))
                .andExpect(jsonPath("$.history[1].cause", is("manual")))
                .andExpect(jsonPath("$.history[1].endedByExitRule", is(true)))
                .andExpect(jsonPath("$.history[1].leftAt", is(clock.instant().toString())))
                .andExpect(jsonPath("$.history[2].cause", is("rule")))
                .andExpect(jsonPath("$.history[2].endedByExitRule", is(false)));
        mvc.perform(get("/accounts/{id}/stage-panel", renewing))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("the hold ended early: the stage's exit rule")));
    }

    @Test
    void aJourneyWithProblemsIsSavedAsADraftWithThemAndRefusedForPublication() throws Exception {
        int inForce = JsonPath.read(
                mvc.perform(get("/api/v1/lifecycle/journey"))
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.version");
        String yaml = """
                name: Customer journey
                stages:
                  - key: renewal
                    name: Renewal
                    entry: account.daysToRenewl <= 120
                """;
        String saved = mvc.perform(post("/api/v1/lifecycle/journey/versions")
                        .contentType("application/yaml")
                        .content(yaml)
                        .with(csrf()))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.valid", is(false)))
                .andExpect(jsonPath("$.problems[0].line", is(5)))
                .andExpect(jsonPath("$.problems[0].field", is("stages[0].entry")))
                .andExpect(jsonPath("$.problems[0].reason", containsString("daysToRenewal")))
                .andReturn()
                .getResponse()
                .getContentAsString();
        int version = JsonPath.read(saved, "$.version");
        mvc.perform(post("/api/v1/lifecycle/journey/versions/{v}/publish", version)
                        .with(csrf()))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("stages[0].entry")));
        mvc.perform(get("/api/v1/lifecycle/journey")).andExpect(jsonPath("$.version", is(inForce)));
        mvc.perform(get("/api/v1/lifecycle/journey/diff").param("from", "1").param("to", String.valueOf(version)))
                .andExpect(status().isOk());
    }

    private void awaitStage(String account, String stage) {
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> mvc.perform(get("/api/v1/accounts/{id}/stage", account))
                        .andExpect(jsonPath("$.current.stage", is(stage))));
    }

    /**
     * Stage history from before Steward kept stages (another platform's, or reconstructed) is imported whole or not
     * at all; what Steward recorded wins, and a stay in the same stage as the first recorded one extends it back.
     */
    @Test
    void stageHistoryFromBeforeStewardIsImportedWholeOrNotAtAll() throws Exception {
        LocalDate today = LocalDate.now(clock);
        String account = account("Journey History Co", today.minusDays(200), today.plusDays(165));
        awaitStage(account, "adoption");
        LocalDate onboarded = today.minusDays(110);
        String valid = """
                {"reason": "from our old CS platform", "stays": [
                  {"accountId": "%s", "stage": "onboarding", "enteredOn": "%s", "leftOn": "%s"},
                  {"accountId": "%s", "stage": "adoption", "enteredOn": "%s"}]}""".formatted(account, today.minusDays(200), onboarded, account, onboarded);

        importing(valid.replace("\"onboarding\"", "\"onbording\""))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("stays[0].stage")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("did you mean 'onboarding'?")));
        importing(valid.replace(
                        "\"enteredOn\": \"" + onboarded + "\"}", "\"enteredOn\": \"" + onboarded.minusDays(5) + "\"}"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("stays[1].enteredOn")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("overlaps")));
        importing(valid.replace(", \"leftOn\": \"" + onboarded + "\"", ""))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("stays[0].leftOn")));
        importing(valid.replace(
                        "\"enteredOn\": \"" + onboarded + "\"}", "\"enteredOn\": \"" + today.plusDays(1) + "\"}"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("stays[1].enteredOn")));
        importing(valid.replace(account, "00000000-0000-0000-0000-000000000001"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("stays[0].accountId")));
        mvc.perform(
                        post("/api/v1/stage-history/bulk")
                                .with(org.springframework.security.test.web.servlet.request
                                        .SecurityMockMvcRequestPostProcessors.user("history-csm@example.com")
                                        .roles("CSM"))
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(valid)
                                .with(csrf()))
                .andExpect(status().isForbidden());
        mvc.perform(get("/api/v1/accounts/{id}/stage", account))
                .andExpect(jsonPath("$.history[*].stage", contains("adoption")));

        importing(valid).andExpect(status().isOk()).andExpect(jsonPath("$.stays", is(1)));
        java.time.Instant onboardedAt = onboarded.atStartOfDay(clock.getZone()).toInstant();
        mvc.perform(get("/api/v1/accounts/{id}/stage", account))
                .andExpect(jsonPath("$.current.stage", is("adoption")))
                .andExpect(jsonPath("$.current.cause", is("rule")))
                .andExpect(jsonPath("$.current.enteredAt", is(onboardedAt.toString())))
                .andExpect(jsonPath("$.current.days", is(110)))
                .andExpect(jsonPath("$.history[*].stage", contains("adoption", "onboarding")))
                .andExpect(jsonPath("$.history[1].cause", is("imported")))
                .andExpect(jsonPath("$.history[1].reason", is("from our old CS platform")))
                .andExpect(jsonPath("$.history[1].leftAt", is(onboardedAt.toString())));
        assertThat(lifecycle.trackedSince())
                .isBeforeOrEqualTo(
                        today.minusDays(200).atStartOfDay(clock.getZone()).toInstant());

        importing(valid)
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].reason", containsString("imported stage history already")));
    }

    /** With {@code replace} (the demo company's load), the rules' stays give way to the imported history. */
    @Test
    void importedHistoryCanReplaceTheStaysTheRulesRecorded() throws Exception {
        LocalDate today = LocalDate.now(clock);
        String account = account("Journey Replaced Co", today.minusDays(300), today.plusDays(65));
        awaitStage(account, "renewal");
        java.util.UUID id = java.util.UUID.fromString(account);

        int written = lifecycle.importHistory(
                List.of(
                        new LifecycleManagement.ImportedStay(
                                id, "onboarding", today.minusDays(300), today.minusDays(210)),
                        new LifecycleManagement.ImportedStay(id, "adoption", today.minusDays(210), today.minusDays(55)),
                        new LifecycleManagement.ImportedStay(id, "renewal", today.minusDays(55), null)),
                "Demo company",
                "reconstructed",
                true);

        assertThat(written).isEqualTo(3);
        mvc.perform(get("/api/v1/accounts/{id}/stage", account))
                .andExpect(jsonPath("$.history[*].stage", contains("renewal", "adoption", "onboarding")))
                .andExpect(jsonPath("$.history[*].cause", contains("imported", "imported", "imported")))
                .andExpect(jsonPath("$.current.days", is(55)));
        // The rules decide again and agree: nothing moves.
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .pollInSameThread()
                .untilAsserted(() -> mvc.perform(get("/api/v1/accounts/{id}/stage", account))
                        .andExpect(jsonPath("$.history.length()", is(3))));
    }

    private ResultActions importing(String json) throws Exception {
        return mvc.perform(post("/api/v1/stage-history/bulk")
                .with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user(
                                "history-admin@example.com")
                        .roles("ADMIN"))
                .contentType(MediaType.APPLICATION_JSON)
                .content(json)
                .with(csrf()));
    }

    @Test
    void completionsImportedInBulkCountAndAMilestoneTheJourneyLacksRefusesThemAll() throws Exception {
        LocalDate today = LocalDate.now(clock);
        String account = account("Journey Imported Co", today.minusDays(40), today.plusDays(325));
        java.util.UUID id = java.util.UUID.fromString(account);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> lifecycle.importCompletions(
                        List.of(
                                new LifecycleManagement.ImportedCompletion(id, "kickoff", today.minusDays(35), null),
                                new LifecycleManagement.ImportedCompletion(id, "kick_off", today.minusDays(35), null)),
                        "Importer"))
                .isInstanceOf(dev.steward.core.InvalidInputException.class)
                .hasMessageContaining("completions[1].milestone");
        mvc.perform(get("/api/v1/accounts/{id}/stage", account))
                .andExpect(jsonPath("$.milestones[0].status", is("overdue")));
        assertThat(lifecycle.importCompletions(
                        List.of(
                                new LifecycleManagement.ImportedCompletion(id, "kickoff", today.minusDays(35), null),
                                new LifecycleManagement.ImportedCompletion(
                                        id, "first_value", today.minusDays(10), "Dashboards live")),
                        "Importer"))
                .isEqualTo(2);
        mvc.perform(get("/api/v1/accounts/{id}/stage", account))
                .andExpect(jsonPath("$.milestones[0].status", is("done")))
                .andExpect(jsonPath("$.milestones[0].completedBy", is("Importer")))
                .andExpect(jsonPath("$.milestones[2].note", is("Dashboards live")))
                .andExpect(jsonPath("$.timeToValueDays", is(30)));
    }

    @Test
    void theLifecyclePageSavesADraftOfTheJourneyAndOffersToPublishIt() throws Exception {
        String yaml = mvc.perform(get("/api/v1/lifecycle/journey/versions/1").accept("application/yaml"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        mvc.perform(get("/lifecycle"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("data-testid=\"journey-yaml\"")))
                .andExpect(content().string(containsString("action=\"/lifecycle/versions\"")));
        String location = mvc.perform(post("/lifecycle/versions")
                        .param("yaml", yaml.replace("Customer journey", "Customer journey") + "\n# a comment\n")
                        .with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getResponse()
                .getRedirectedUrl();
        assertThat(location).isEqualTo("/lifecycle");
        String versions = mvc.perform(get("/api/v1/lifecycle/journey/versions"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        int newest = JsonPath.read(versions, "$[0].version");
        mvc.perform(get("/lifecycle"))
                .andExpect(content().string(containsString("action=\"/lifecycle/versions/" + newest + "/publish\"")))
                .andExpect(content().string(containsString("data-testid=\"publish-journey\"")));
    }

    private String account(String name, LocalDate start, LocalDate end) throws Exception {
        String id = JsonPath.read(
                send(post("/api/v1/accounts"), "{\"name\": \"%s\", \"tier\": \"SMB\"}".formatted(name))
                        .andExpect(status().isCreated())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.id");
        send(post("/api/v1/contracts"), """
                        {"accountId": "%s", "startDate": "%s", "endDate": "%s", "arr": 24000, "seats": 10}""".formatted(id, start, end)).andExpect(status().isCreated());
        return id;
    }

    private void rename(String id, String name) throws Exception {
        String version = JsonPath.read(
                        mvc.perform(get("/api/v1/accounts/" + id))
                                .andReturn()
                                .getResponse()
                                .getContentAsString(),
                        "$.version")
                .toString();
        mvc.perform(put("/api/v1/accounts/" + id)
                        .header("If-Match", "\"" + version + "\"")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"%s\", \"tier\": \"SMB\"}".formatted(name))
                        .with(csrf()))
                .andExpect(status().isOk());
    }

    private ResultActions send(MockHttpServletRequestBuilder request, String json) throws Exception {
        return mvc.perform(
                request.contentType(MediaType.APPLICATION_JSON).content(json).with(csrf()));
    }
}
