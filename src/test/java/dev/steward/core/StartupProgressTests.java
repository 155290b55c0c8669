package dev.steward.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

/**
 * While Steward does its start-up work, the log and every page (the sign-in page too) say which step it is at, how far
 * it got and how long is left; once the work is done the banner goes.
 */
@StewardTest
class StartupProgressTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    StartupProgress progress;

    @AfterEach
    void done() {
        progress.finish();
    }

    @Test
    void theSignInPageShowsTheStepItsProgressAndTimeLeftUntilTheWorkIsDone() throws Exception {
        progress.begin("loading the demo company", "accounts", 1, 3, 2_000);
        progress.advance(500);
        String page = mvc.perform(get("/login"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(page)
                .contains("data-testid=\"startup-banner\"")
                .contains("step 1 of 3, loading the demo company")
                .contains("500 of 2,000 accounts")
                .contains("hx-get=\"/startup\"");

        progress.advance(2_000);
        String banner = mvc.perform(get("/startup"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(banner).contains("2,000 of 2,000 accounts").contains("finishing");

        progress.finish();
        assertThat(mvc.perform(get("/startup")).andReturn().getResponse().getContentAsString())
                .doesNotContain("data-testid=\"startup-banner\"")
                .contains("id=\"startup-banner\"");
        assertThat(mvc.perform(get("/login")).andReturn().getResponse().getContentAsString())
                .doesNotContain("Steward is still starting");
    }

    @Test
    void progressNeverGoesBackAndTheTimeLeftIsAStraightLineThroughTheRateSoFar() {
        long started = 0;
        StartupProgress.Step step = new StartupProgress.Step("computing scores", "days", 2, 3, 25, 100, started);
        StartupProgress.View view =
                StartupProgress.view(step, Duration.ofSeconds(50).toNanos());
        assertThat(view.done()).isEqualTo("25 of 100 days (0.5 days a second)");
        assertThat(view.left()).isEqualTo("about 3 minutes left"); // 75 days at 0.5 a second: 150 s
        assertThat(view.percent()).isEqualTo(25);

        StartupProgress.View first = StartupProgress.view(
                new StartupProgress.Step("computing scores", "days", 2, 3, 0, 100, started), 1_000);
        assertThat(first.done()).isEqualTo("0 of 100 days");
        assertThat(first.left()).isEmpty();

        assertThat(StartupProgress.about(Duration.ofSeconds(20))).isEqualTo("less than a minute left");
        assertThat(StartupProgress.about(Duration.ofSeconds(80))).isEqualTo("about a minute left");

        progress.begin("loading", "accounts", 1, 1, 10);
        progress.advance(6);
        progress.advance(4);
        assertThat(progress.now().orElseThrow().done()).startsWith("6 of 10 accounts");
    }
}
