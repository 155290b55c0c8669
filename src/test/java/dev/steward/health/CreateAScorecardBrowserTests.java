package dev.steward.health;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.LoadState;
import dev.steward.core.BrowserTest;
import dev.steward.core.Browsers;
import dev.steward.core.Chromium;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AccountManagement;
import dev.steward.usage.UsageInput;
import dev.steward.usage.UsageRecorder;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * An administrator finds the customers no scorecard applies to in a real browser, lists them, creates a scorecard for
 * one segment from the data and another from the skeleton, publishes both and sees every customer scored. Writes
 * screenshots to {@code target/screenshots}.
 */
@BrowserTest
// A database of its own: the scorecards published here would score the accounts of other tests.
@TestPropertySource(properties = "steward.test.context=create-scorecard-browser")
class CreateAScorecardBrowserTests {

    private static final String SOURCE = "crm";

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @Autowired
    AccountManagement accounts;

    @Autowired
    UsageRecorder usage;

    @Autowired
    HealthScoring scoring;

    @Test
    void seeTheUnscoredCustomersCreateScorecardsForThemAndPublish() throws Exception {
        LocalDate today = scoring.today();
        // Three Basic customers logging in 5, 10 and 15 times today; two Pro customers without any data.
        accounts.upsert(
                SOURCE,
                List.of(
                        account("Basic Ant"),
                        account("Basic Bee"),
                        account("Basic Cicada"),
                        new AccountInput(
                                "Pro Dingo",
                                "Pro Dingo",
                                null,
                                null,
                                "Pro",
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null),
                        new AccountInput(
                                "Pro Emu", "Pro Emu", null, null, "Pro", null, null, null, null, null, null, null,
                                null)),
                true);
        usage.upsert(
                SOURCE,
                List.of(
                        logins("Basic Ant", today, 5),
                        logins("Basic Bee", today, 10),
                        logins("Basic Cicada", today, 15)),
                true);
        scoring.rescoreAll(today);
        Files.createDirectories(Chromium.SCREENSHOTS);
        Page page = browsers.signedIn(port, "/", new Browser.NewContextOptions().setViewportSize(1280, 900));

        scorecardsInTheMenu(page).click();
        Locator unassigned = page.getByTestId("unassigned");
        assertThat(page.getByTestId("unassigned-count")).hasText("5");
        Locator groups = page.getByTestId("unassigned-group");
        assertThat(groups).hasCount(2);
        assertThat(groups.nth(0)).hasAttribute("data-label", "Basic");
        assertThat(groups.nth(0).getByTestId("unassigned-group-count")).hasText("3");
        assertThat(groups.nth(1)).hasAttribute("data-label", "Pro");
        page.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("scorecards-unscored.png")));

        // The list of them: the accounts list filtered to Basic customers without a score.
        groups.nth(0).getByTestId("unassigned-list").click();
        assertThat(page).hasURL(Pattern.compile("/accounts\\?health=unscored&tier=Basic$"));
        assertThat(page.getByTestId("filter-health")).hasValue("unscored");
        assertThat(page.getByTestId("account-health"))
                .hasText(new String[] {"no scorecard", "no scorecard", "no scorecard"});
        page.goBack();

        // A scorecard for the Basic customers, from their data; a name the rules refuse is said so beside the field.
        page.getByTestId("unassigned-group")
                .nth(0)
                .getByTestId("unassigned-create")
                .click();
        assertThat(page.getByTestId("create-name")).hasValue("Basic");
        assertThat(page.getByTestId("create-applies-to")).hasValue("account.tier == \"Basic\"");
        assertThat(page.getByTestId("template-data")).isChecked();
        assertThat(page.getByTestId("create-priority")).hasValue("40");
        page.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("scorecard-new.png")));
        page.getByTestId("create-name").fill("Basic/Starter");
        page.getByTestId("create").click();
        assertThat(page.getByTestId("error-name"))
                .hasText("may hold letters, digits, spaces and - _ . & ( ) only; '/' at position 6 is not allowed");
        assertThat(page.getByTestId("create-applies-to")).hasValue("account.tier == \"Basic\"");
        page.getByTestId("create-name").fill("Basic");
        page.getByTestId("create").click();

        assertThat(page).hasURL(Pattern.compile("/scorecards/Basic$"));
        assertThat(page.getByTestId("created"))
                .hasText("Created scorecard Basic from the data of 3 customers as of " + today
                        + ": 1 measure has data, " + leftOut() + " left out (the comments at the top say which and"
                        + " why). Version 1 is a draft: check it, preview it, then publish it.");
        Locator editor = page.getByTestId("yaml-editor");
        assertThat(editor).hasValue(Pattern.compile("#   Logins \\(logins\\): 3 of 3\n#"));
        assertThat(editor).hasValue(Pattern.compile("metric: logins"));
        assertThat(page.getByTestId("valid")).isVisible();
        page.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("scorecard-created.png")));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Publish version 1"))
                .click();
        page.getByTestId("confirm-publish").click();
        assertThat(page.getByTestId("published")).containsText("Published version 1");

        // The Pro customers are left; their scorecard starts from the skeleton.
        scorecardsInTheMenu(page).click();
        assertThat(page.getByTestId("unassigned-count")).hasText("2");
        page.getByTestId("unassigned-group")
                .nth(0)
                .getByTestId("unassigned-create")
                .click();
        assertThat(page.getByTestId("create-name")).hasValue("Pro");
        assertThat(page.getByTestId("create-priority")).hasValue("50");
        page.getByTestId("template-blank").check();
        page.getByTestId("create").click();
        assertThat(page.getByTestId("created")).containsText("Created scorecard Pro from the skeleton.");
        page.waitForLoadState(LoadState.LOAD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Publish version 1"))
                .click();
        page.getByTestId("confirm-publish").click();
        assertThat(page.getByTestId("published")).containsText("Published version 1");

        scorecardsInTheMenu(page).click();
        assertThat(unassigned).hasAttribute("data-count", "0");
        assertThat(page.getByTestId("unassigned-none")).hasText("✓ A published scorecard applies to every customer.");
        assertThat(page.getByTestId("scorecard-link"))
                .hasText(new String[] {"Basic", "Enterprise", "Mid-Market", "Pro", "SMB"});
        page.screenshot(
                new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("scorecards-all-scored.png")));

        // Publishing re-scores in the background: within seconds no customer is left without a score.
        page.navigate("http://localhost:" + port + "/accounts?health=unscored");
        await("every customer scored")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                // Playwright's page belongs to this thread.
                .pollInSameThread()
                .until(() -> {
                    page.reload();
                    return page.getByTestId("account-health").count() == 0;
                });
        page.navigate("http://localhost:" + port + "/accounts?tier=Basic&sort=name");
        assertThat(page.getByTestId("account-health")).hasText(new String[] {"red 0.0", "yellow 50.0", "green 100.0"});
        page.screenshot(
                new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("accounts-newly-scored.png")));
    }

    /** Every candidate measure but logins is left out: nothing else has data for these customers. */
    private int leftOut() {
        return scoringCandidates() - 1;
    }

    private int scoringCandidates() {
        return dev.steward.health.engine.ScorecardTemplates.candidates(
                        usage.metrics().stream()
                                .map(m -> new dev.steward.health.engine.ScorecardTemplates.UsageMetricSpec(
                                        m.key(), m.name(), true))
                                .toList(),
                        List.of())
                .size();
    }

    private static Locator scorecardsInTheMenu(Page page) {
        return page.locator("#main-nav").getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Scorecards"));
    }

    private static AccountInput account(String name) {
        return new AccountInput(name, name, null, null, "Basic", null, null, null, null, null, null, null, null);
    }

    private static UsageInput logins(String account, LocalDate day, int count) {
        return new UsageInput(null, account, day, "logins", BigDecimal.valueOf(count));
    }
}
