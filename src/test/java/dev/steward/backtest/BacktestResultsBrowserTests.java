package dev.steward.backtest;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.steward.activity.ActivityRecorder;
import dev.steward.activity.ChurnEvent;
import dev.steward.activity.ChurnEventInput;
import dev.steward.core.BrowserTest;
import dev.steward.core.Browsers;
import dev.steward.core.Chromium;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.ContractInput;
import dev.steward.customer.ContractManagement;
import dev.steward.health.HealthScoring;
import dev.steward.health.ScorecardManagement;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.usage.UsageInput;
import dev.steward.usage.UsageRecorder;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * A CS leader runs a backtest of a draft scorecard in a real browser over history that arrived the way an import
 * delivers it (external ids, contracts that do not name the one they renew): sets it up, watches it finish, reads
 * the figures and charts, and follows a missed account to its page. Writes a screenshot to {@code
 * target/screenshots}.
 */
@BrowserTest
// A context (and so a database) of its own: the scorecard and accounts made here must not show in other tests' lists.
@TestPropertySource(properties = "steward.test.context=backtest-browser")
class BacktestResultsBrowserTests {

    private static final String SOURCE = "csv";

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @Autowired
    AccountManagement accounts;

    @Autowired
    ContractManagement contracts;

    @Autowired
    UsageRecorder usage;

    @Autowired
    ActivityRecorder activity;

    @Autowired
    ScorecardManagement scorecards;

    @Autowired
    HealthScoring scoring;

    @Test
    void setUpARunReadTheResultsAndOpenAMissedAccount() throws Exception {
        LocalDate today = scoring.today();
        importHistory(today);
        Files.createDirectories(Chromium.SCREENSHOTS);
        Page page = browsers.signedIn(port, "/", new Browser.NewContextOptions().setViewportSize(1280, 900));

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Backtests"))
                .click();
        assertThat(page).hasURL(Pattern.compile("/backtests$"));
        page.getByLabel("Name (optional)").fill("Logins draft");
        page.getByLabel("Versions to test").selectOption("Backtest Logins:1");
        page.getByLabel("First as-of day").fill(today.minusDays(150).toString());
        page.getByLabel("Last as-of day").fill(today.minusDays(120).toString());
        page.getByLabel("30", new Page.GetByLabelOptions().setExact(true)).uncheck();
        page.getByLabel("180", new Page.GetByLabelOptions().setExact(true)).uncheck();
        page.getByLabel("Tier").selectOption("Backtest");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run backtest"))
                .click();

        assertThat(page.getByTestId("run-name")).hasText("Logins draft");
        // The page follows the run and reloads itself with the results when it is done.
        assertThat(page.getByTestId("auc"))
                .isVisible(new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions()
                        .setTimeout(60_000));
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("90-day horizon")))
                .isVisible();
        assertThat(page.getByTestId("color-table")).containsText("green");
        assertThat(page.getByTestId("segment-table")).containsText("Backtest");
        assertThat(page.getByTestId("roc-chart").locator("canvas")).hasCount(1);
        assertThat(page.getByTestId("calibration-chart").locator("canvas")).hasCount(1);
        assertThat(page.getByTestId("threshold-chart").locator("canvas")).hasCount(1);
        assertThat(page.getByTestId("missed-table")).containsText("Surprise Co");
        // Beside accuracy: the base rate, what always retain scores, and Red's recall and precision.
        assertThat(page.getByTestId("base-rate")).hasText(Pattern.compile("\\d+\\.\\d%"));
        assertThat(page.getByTestId("retain-all")).hasText(Pattern.compile("\\d+\\.\\d%"));
        assertThat(page.getByTestId("red-recall")).isVisible();
        assertThat(page.getByTestId("red-precision")).isVisible();
        // Each missed account once, however many as-of days it was Green before it churned.
        assertThat(page.getByTestId("missed-table")
                        .getByRole(
                                AriaRole.LINK,
                                new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Surprise Co")))
                .hasCount(1);
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(Chromium.SCREENSHOTS.resolve("backtest.png"))
                .setFullPage(true));

        page.getByTestId("missed-table")
                .getByRole(
                        AriaRole.LINK, new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Surprise Co"))
                .first()
                .click();
        assertThat(page).hasURL(Pattern.compile("/accounts/[0-9a-f-]{36}$"));
        assertThat(page.locator("h1")).containsText("Surprise Co");
    }

    /**
     * Renews (5 logins a day, Green) renews 60 days ago; Fades (1 a day, Red) ends 50 days ago; Surprise (5 a day,
     * Green) ends 70 days ago with a churn event; Middle (3 a day, Yellow) runs on.
     */
    private void importHistory(LocalDate today) {
        scorecards.saveDraft("Backtest Logins", """
                name: Backtest Logins
                appliesTo: account.tier == "Backtest"
                priority: 90
                dimensions:
                  - name: Product
                    weight: 100
                    measures:
                      - name: Logins
                        metric: logins
                        aggregate: sum
                        window: 30d
                        weight: 100
                        score: { linear: { from: 0, to: 150 } }
                """, new User(null, "admin@steward.local", "Admin", Role.ADMIN, true));
        List<String> names = List.of("Renews Co", "Fades Co", "Surprise Co", "Middle Co");
        accounts.upsert(
                SOURCE,
                names.stream()
                        .map(name -> new AccountInput(
                                name, name, null, null, "Backtest", null, null, null, null, null, null, null, null))
                        .toList(),
                true);
        contracts.upsert(
                SOURCE,
                List.of(
                        contract("R1", "Renews Co", today.minusDays(400), today.minusDays(60)),
                        contract("R2", "Renews Co", today.minusDays(60), today.plusDays(305)),
                        contract("F1", "Fades Co", today.minusDays(400), today.minusDays(50)),
                        contract("S1", "Surprise Co", today.minusDays(400), today.minusDays(70)),
                        contract("M1", "Middle Co", today.minusDays(400), today.plusDays(200))),
                true);
        List<UsageInput> logins = new ArrayList<>();
        int[] perDay = {5, 1, 5, 3};
        for (int i = 0; i < names.size(); i++) {
            for (int back = 0; back < 250; back++) {
                logins.add(new UsageInput(
                        null, names.get(i), today.minusDays(back), "logins", BigDecimal.valueOf(perDay[i])));
            }
        }
        usage.upsert(SOURCE, logins, true);
        activity.upsertChurnEvents(
                SOURCE,
                List.of(new ChurnEventInput(
                        "X1",
                        null,
                        "Surprise Co",
                        today.minusDays(70),
                        ChurnEvent.ReasonCategory.budget,
                        "Acquired",
                        BigDecimal.valueOf(12000))),
                true);
    }

    private static ContractInput contract(String id, String account, LocalDate start, LocalDate end) {
        return new ContractInput(
                id, null, account, start, end, BigDecimal.valueOf(12000), 10, null, null, null, null, null);
    }
}
