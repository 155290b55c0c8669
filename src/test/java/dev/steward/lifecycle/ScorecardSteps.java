package dev.steward.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import java.time.Duration;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/**
 * What tests of scorecards that name segments do through the API: make an account of a tier, publish a scorecard,
 * and wait for an account to be scored by one.
 */
final class ScorecardSteps {

    private final MockMvc mvc;

    ScorecardSteps(MockMvc mvc) {
        this.mvc = mvc;
    }

    /** A new account of the tier; its id. */
    String account(String name, String tier) throws Exception {
        return JsonPath.read(
                mvc.perform(post("/api/v1/accounts")
                                .contentType(MediaType.APPLICATION_JSON)
                                .content("{\"name\": \"%s\", \"tier\": \"%s\"}".formatted(name, tier))
                                .with(csrf()))
                        .andExpect(status().isCreated())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.id");
    }

    /** Saves the YAML as the scorecard's next version, which must be valid, and publishes it. */
    void publish(String name, String yaml) throws Exception {
        int version = JsonPath.read(
                mvc.perform(post("/api/v1/scorecards/{name}/versions", name)
                                .contentType("application/yaml")
                                .content(yaml)
                                .with(csrf()))
                        .andExpect(status().isCreated())
                        .andExpect(jsonPath("$.valid", is(true)))
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.version");
        mvc.perform(post("/api/v1/scorecards/{name}/versions/{version}/publish", name, version)
                        .with(csrf()))
                .andExpect(status().isOk());
    }

    /** Waits (at most 20 seconds) until the account is scored by this scorecard. */
    void awaitScorecard(String account, String scorecard) {
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(scorecardOf(account)).isEqualTo(scorecard));
    }

    /** The scorecard of the account's current score, or null when it has none. */
    String scorecardOf(String account) throws Exception {
        var response = mvc.perform(get("/api/v1/accounts/{id}/health", account))
                .andReturn()
                .getResponse();
        return response.getStatus() == 200 ? JsonPath.read(response.getContentAsString(), "$.scorecard") : null;
    }
}
