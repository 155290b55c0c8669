package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Publishing a scorecard version re-scores every account on its own; accounts whose color changes get a timeline
 * entry; the preview of a draft tells beforehand which accounts would change.
 */
@StewardTest
// A context (and database) of its own: publishing a new Mid-Market version would change what other tests score with.
@TestPropertySource(properties = "steward.health.override-max-days=91")
@WithMockUser(roles = "ADMIN")
class RescoreOnPublishTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    HealthScoring scoring;

    @Test
    void previewThenPublishChangesColorsAndTheTimelineSaysSo() throws Exception {
        LocalDate today = scoring.today();
        String account = JsonPath.read(
                mvc.perform(post("/api/v1/accounts")
                                .with(csrf())
                                .contentType(MediaType.APPLICATION_JSON)
                                .content("{\"name\": \"Strict Co\", \"tier\": \"Mid-Market\"}"))
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.id");
        mvc.perform(post("/api/v1/accounts/" + account + "/sentiments")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"recordedAt\": \"%sT09:00:00Z\", \"score\": 4, \"reason\": \"Good QBR\"}"
                                .formatted(today)))
                .andExpect(status().isCreated());
        scoring.rescoreAll(today);
        String before = JsonPath.read(
                mvc.perform(get("/api/v1/accounts/" + account + "/health"))
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.computedColor");
        assertThat(before).isNotEqualTo("red");

        // Everything at or below 99 is Red in the new version.
        String strict = new ClassPathResource("health/scorecards/mid-market.yaml")
                .getContentAsString(StandardCharsets.UTF_8)
                .replace("thresholds: { red: 40, yellow: 70 }", "thresholds: { red: 98, yellow: 99 }")
                .replace("minimumCoverage: 0.6", "minimumCoverage: 0");
        int version = JsonPath.read(
                mvc.perform(post("/api/v1/scorecards/Mid-Market/versions")
                                .with(csrf())
                                .contentType("application/yaml")
                                .content(strict))
                        .andExpect(status().isCreated())
                        .andExpect(jsonPath("$.valid", is(true)))
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.version");

        String preview = mvc.perform(get("/api/v1/scorecards/Mid-Market/versions/" + version + "/preview"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.changedColor", is(1)))
                .andExpect(jsonPath("$.changes[0].account", is(account)))
                .andExpect(jsonPath("$.changes[0].name", is("Strict Co")))
                .andExpect(jsonPath("$.changes[0].colorAfter", is("red")))
                .andExpect(jsonPath("$.preview.red", is(1)))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat((String) JsonPath.read(preview, "$.changes[0].colorBefore")).isEqualTo(before);

        mvc.perform(post("/api/v1/scorecards/Mid-Market/versions/" + version + "/publish")
                        .with(csrf()))
                .andExpect(status().isOk());

        String change = "Health " + before + " → red";
        await("timeline entry '" + change + "'")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                // The signed-in test user belongs to this thread.
                .pollInSameThread()
                .until(
                        () -> JsonPath.<List<String>>read(
                                mvc.perform(get("/api/v1/accounts/" + account + "/timeline")
                                                .param("kinds", "health_event"))
                                        .andReturn()
                                        .getResponse()
                                        .getContentAsString(),
                                "$.items[*].title"),
                        titles -> titles.contains(change));
        mvc.perform(get("/api/v1/accounts/" + account + "/health"))
                .andExpect(jsonPath("$.color", is("red")))
                .andExpect(jsonPath("$.scorecardVersion", is(version)));
    }
}
