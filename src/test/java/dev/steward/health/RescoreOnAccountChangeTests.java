package dev.steward.health;

import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * Writing an account's own fields re-scores it within seconds, not at the next daily re-score: a new tier can put it
 * under another scorecard.
 */
@StewardTest
@WithMockUser(roles = "ADMIN")
class RescoreOnAccountChangeTests {

    @Autowired
    MockMvc mvc;

    @Test
    void anAccountMovedToAnotherTierIsScoredByThatTiersScorecardWithinSeconds() throws Exception {
        String created = mvc.perform(post("/api/v1/accounts")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"Tier Mover Co\", \"tier\": \"SMB\"}"))
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getContentAsString();
        String id = JsonPath.read(created, "$.id");
        awaitScorecard(id, "SMB");

        mvc.perform(patch("/api/v1/accounts/{id}", id)
                        .header("If-Match", "\"0\"")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"tier\": \"Enterprise\"}"))
                .andExpect(status().isOk());

        awaitScorecard(id, "Enterprise");
    }

    private void awaitScorecard(String account, String scorecard) {
        await(account + " scored by " + scorecard)
                .pollInSameThread()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> scorecardOfLatestScore(account), scorecard::equals);
    }

    private String scorecardOfLatestScore(String account) throws Exception {
        MvcResult result =
                mvc.perform(get("/api/v1/accounts/{id}/health", account)).andReturn();
        return result.getResponse().getStatus() == 200
                ? JsonPath.read(result.getResponse().getContentAsString(), "$.scorecard")
                : null;
    }
}
