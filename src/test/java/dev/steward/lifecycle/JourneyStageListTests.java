package dev.steward.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The journey's stage is what the accounts list and API show and filter by: each account carries the stage its rules
 * (or a person) put it in, {@code stage=<key>} keeps the accounts in that stage now, a key that is no stage is refused
 * with the key meant, and the older hand-typed stage stays beside it as recorded.
 */
@StewardTest
@WithMockUser(roles = "MANAGER")
class JourneyStageListTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    Clock clock;

    @Autowired
    AccountStages stages;

    @Autowired
    SegmentEvaluation evaluation;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void theListShowsAndFiltersByTheJourneyStageAndKeepsTheRecordedStageBesideIt() throws Exception {
        LocalDate today = LocalDate.now(clock);
        // Recorded as Growth by hand, but 65 days from its renewal: the journey puts it in Renewal.
        String renewing = account("Stagelist Renewing Co", "growth", today.minusDays(300), today.plusDays(65));
        String settled = account("Stagelist Settled Co", null, today.minusDays(200), today.plusDays(165));

        await().pollInSameThread()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> mvc.perform(list("renewal"))
                        .andExpect(jsonPath("$.items[*].name", contains("Stagelist Renewing Co"))));
        mvc.perform(list("renewal"))
                .andExpect(jsonPath("$.items[0].stage.key", is("renewal")))
                .andExpect(jsonPath("$.items[0].stage.name", is("Renewal")))
                .andExpect(jsonPath("$.items[0].lifecycleStage", is("growth")));
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> mvc.perform(list("adoption"))
                        .andExpect(jsonPath("$.items[*].name", contains("Stagelist Settled Co"))));
        mvc.perform(get("/api/v1/accounts/{id}", settled))
                .andExpect(jsonPath("$.stage.key", is("adoption")))
                .andExpect(jsonPath("$.stage.name", is("Adoption")))
                .andExpect(jsonPath("$.lifecycleStage").doesNotExist());
        // The two filters are separate: the recorded stage does not decide the journey's, nor the other way round.
        mvc.perform(list("renewal").param("lifecycleStage", "growth"))
                .andExpect(jsonPath("$.items[*].name", contains("Stagelist Renewing Co")));
        mvc.perform(list("adoption").param("lifecycleStage", "growth")).andExpect(jsonPath("$.items", empty()));
        mvc.perform(list("growth")).andExpect(jsonPath("$.items", empty()));

        // The page: a Stage column linking to the stage's accounts, and the filter offering the journey's stages.
        String page = mvc.perform(get("/accounts").param("q", "Stagelist").param("stage", "renewal"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(page)
                .contains("Stagelist Renewing Co")
                .doesNotContain("Stagelist Settled Co")
                .contains("href=\"/lifecycle/stages/renewal\"")
                .containsPattern("<option value=\"renewal\" selected=\"selected\">Renewal</option>")
                .containsPattern("data-testid=\"account-recorded-stage\"\\s*>Growth</td>");
        // The account page's header: the journey's stage first, the recorded one as "recorded:".
        mvc.perform(get("/accounts/{id}", renewing))
                .andExpect(content().string(containsString("data-testid=\"account-journey-stage\"")))
                .andExpect(content().string(containsString(">Renewal</a>")))
                .andExpect(content().string(containsString("recorded: Growth")));

        // A move by hand is recorded on the account as well: the list finds it in its new stage at once.
        send(post("/api/v1/accounts/{id}/stage", settled), """
                        {"stage": "at_risk", "reason": "Champion left", "holdUntil": "%s"}""".formatted(today.plusDays(14)))
                .andExpect(status().isOk());
        mvc.perform(list("at_risk")).andExpect(jsonPath("$.items[*].name", contains("Stagelist Settled Co")));
        mvc.perform(list("adoption")).andExpect(jsonPath("$.items", empty()));
        mvc.perform(get("/api/v1/accounts/{id}", settled))
                .andExpect(jsonPath("$.stage.key", is("at_risk")))
                .andExpect(jsonPath("$.stage.name", is("At risk")));

        // Leaving every stage leaves the account without one in the list too.
        transactions.executeWithoutResult(tx -> {
            evaluation.lockMembership();
            stages.leave(Set.of(UUID.fromString(renewing)), clock.instant());
        });
        mvc.perform(list("renewal")).andExpect(jsonPath("$.items", empty()));
        mvc.perform(get("/api/v1/accounts/{id}", renewing))
                .andExpect(jsonPath("$.stage").doesNotExist());
    }

    @Test
    void aStageKeyThatIsNoStageOfTheJourneyIsRefusedWithTheKeyMeant() throws Exception {
        mvc.perform(get("/api/v1/accounts").param("stage", "renewals"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("stage")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("did you mean 'renewal'?")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("at_risk")));
        mvc.perform(get("/api/v1/accounts").param("stage", "Renewal"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].reason", containsString("did you mean 'renewal'?")));
        // The recorded stage's values are not journey stages, and the other way round.
        mvc.perform(get("/api/v1/accounts").param("lifecycleStage", "at_risk"))
                .andExpect(status().is4xxClientError())
                .andExpect(content().string(containsString("lifecycleStage")));
        mvc.perform(get("/api/v1/accounts").param("stage", "at_risk"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[*].stage.key", everyItem(is("at_risk"))));
    }

    private MockHttpServletRequestBuilder list(String stage) {
        return get("/api/v1/accounts").param("q", "Stagelist").param("stage", stage);
    }

    private String account(String name, String recordedStage, LocalDate start, LocalDate end) throws Exception {
        String recorded = recordedStage == null ? "" : ", \"lifecycleStage\": \"" + recordedStage + "\"";
        String id = JsonPath.read(
                send(post("/api/v1/accounts"), "{\"name\": \"%s\", \"tier\": \"SMB\"%s}".formatted(name, recorded))
                        .andExpect(status().isCreated())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.id");
        send(post("/api/v1/contracts"), """
                        {"accountId": "%s", "startDate": "%s", "endDate": "%s", "arr": 24000, "seats": 10}""".formatted(id, start, end)).andExpect(status().isCreated());
        return id;
    }

    private ResultActions send(MockHttpServletRequestBuilder request, String json) throws Exception {
        return mvc.perform(
                request.contentType(MediaType.APPLICATION_JSON).content(json).with(csrf()));
    }
}
