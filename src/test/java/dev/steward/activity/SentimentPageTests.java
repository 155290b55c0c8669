package dev.steward.activity;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

@StewardTest
// A CSM with a user row: the accounts they create are theirs, and so theirs to record sentiment on.
@WithMockUser(username = "sentiment.csm@example.com", roles = "CSM")
class SentimentPageTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    dev.steward.identity.UserManagement users;

    String account;

    @BeforeEach
    void account() throws Exception {
        users.createIfAbsent("sentiment.csm@example.com", "Sentiment Csm", dev.steward.identity.Role.CSM);
        String body = mvc.perform(post("/api/v1/accounts")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"Feelings Inc\"}"))
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getContentAsString();
        account = JsonPath.read(body, "$.id");
    }

    @Test
    void theTimelineOffersTheFormAndShowsWhatWasRecordedAtTheTop() throws Exception {
        mvc.perform(get("/accounts/" + account + "/timeline"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Record sentiment")));
        mvc.perform(post("/accounts/" + account + "/sentiment")
                        .with(csrf())
                        .header("HX-Request", "true")
                        .param("score", "2")
                        .param("reason", "Renewal at risk after the outage"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("CSM sentiment 2/5")))
                .andExpect(content().string(containsString("Renewal at risk after the outage")))
                .andExpect(content().string(not(containsString("Nothing recorded yet"))));
    }

    @Test
    void aMissingReasonIsShownNextToTheFormAndNothingIsRecorded() throws Exception {
        mvc.perform(post("/accounts/" + account + "/sentiment")
                        .with(csrf())
                        .header("HX-Request", "true")
                        .param("score", "4")
                        .param("reason", ""))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("data-testid=\"sentiment-errors\"")))
                .andExpect(content().string(containsString("Reason must not be blank")))
                .andExpect(content().string(not(containsString("CSM sentiment 4/5"))));
    }

    @Test
    void viewersSeeNoForm() throws Exception {
        mvc.perform(get("/accounts/" + account + "/timeline")
                        .with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk())
                .andExpect(content().string(not(containsString("Record sentiment"))));
    }
}
