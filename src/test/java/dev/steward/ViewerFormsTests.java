package dev.steward;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import dev.steward.identity.Role;
import dev.steward.identity.UserManagement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * A VIEWER reads every page but is shown no form they could not submit (the server refuses their changes all the
 * same); a CSM sees the same pages with their forms.
 */
@StewardTest
class ViewerFormsTests {

    // Signed in as users that exist: scheduled reports belong to a user.
    private static final RequestPostProcessor VIEWER =
            user("vera.viewer@example.com").roles("VIEWER");
    private static final RequestPostProcessor CSM = user("cal.csm@example.com").roles("CSM");

    @Autowired
    MockMvc mvc;

    @Autowired
    UserManagement users;

    @BeforeEach
    void people() {
        users.createIfAbsent("vera.viewer@example.com", "Vera Viewer", Role.VIEWER);
        users.createIfAbsent("cal.csm@example.com", "Cal Csm", Role.CSM);
    }

    @Test
    void theAccountTimelineOffersSentimentToACsmOnly() throws Exception {
        String account = JsonPath.read(
                mvc.perform(post("/api/v1/accounts")
                                .with(CSM)
                                .with(csrf())
                                .contentType(MediaType.APPLICATION_JSON)
                                .content("{\"name\": \"Viewed Timeline Co\"}"))
                        .andExpect(status().isCreated())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.id");
        mvc.perform(get("/accounts/" + account + "/timeline").with(CSM))
                .andExpect(content().string(containsString("data-testid=\"sentiment-form\"")));
        mvc.perform(get("/accounts/" + account + "/timeline").with(VIEWER))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("data-testid=\"timeline-filter\"")))
                .andExpect(content().string(not(containsString("data-testid=\"sentiment-form\""))));
        mvc.perform(post("/accounts/" + account + "/sentiment")
                        .with(VIEWER)
                        .with(csrf())
                        .param("score", "2")
                        .param("reason", "a viewer's view"))
                .andExpect(status().isForbidden());
    }

    @Test
    void scheduledReportsOfferTheScheduleFormToACsmOnly() throws Exception {
        mvc.perform(get("/insight/schedules").with(CSM))
                .andExpect(content().string(containsString("data-testid=\"schedule-form\"")));
        mvc.perform(get("/insight/schedules").with(VIEWER))
                .andExpect(status().isOk())
                .andExpect(content().string(not(containsString("data-testid=\"schedule-form\""))))
                .andExpect(content().string(containsString("it does not schedule them")));
        mvc.perform(post("/insight/schedules").with(VIEWER).with(csrf()).param("name", "Mine"))
                .andExpect(status().isForbidden());
    }

    @Test
    void aViewerNeitherMakesCtasNorDryRunsPlaybooks() throws Exception {
        mvc.perform(get("/ctas/new").with(CSM))
                .andExpect(content().string(containsString("data-testid=\"new-cta-form\"")));
        mvc.perform(get("/ctas/new").with(VIEWER))
                .andExpect(status().isOk())
                .andExpect(content().string(not(containsString("data-testid=\"new-cta-form\""))));
        mvc.perform(get("/ctas").with(VIEWER))
                .andExpect(status().isOk())
                .andExpect(content().string(not(containsString("id=\"bulk-form\""))));
        mvc.perform(get("/playbooks/new").with(CSM))
                .andExpect(content().string(containsString("data-testid=\"dry-run\"")));
        mvc.perform(get("/playbooks/new").with(VIEWER))
                .andExpect(status().isOk())
                .andExpect(content().string(not(containsString("data-testid=\"dry-run\""))))
                .andExpect(content().string(not(containsString("data-testid=\"save-draft\""))));
        mvc.perform(post("/playbooks/dry-run").with(VIEWER).with(csrf()).param("yaml", "name: x"))
                .andExpect(status().isForbidden());
    }

    @Test
    void aViewerReadsBacktestsButIsNotOfferedTheFormThatStartsOne() throws Exception {
        mvc.perform(get("/backtests").with(CSM))
                .andExpect(content().string(containsString("data-testid=\"new-backtest\"")));
        mvc.perform(get("/backtests").with(VIEWER))
                .andExpect(status().isOk())
                .andExpect(content().string(not(containsString("data-testid=\"new-backtest\""))))
                .andExpect(content().string(containsString("Your role reads")));
        mvc.perform(post("/backtests").with(VIEWER).with(csrf())).andExpect(status().isForbidden());
    }
}
