package dev.steward.insight;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import dev.steward.activity.ActivityRecorder;
import dev.steward.activity.SentimentInput;
import dev.steward.core.BrowserTest;
import dev.steward.core.Browsers;
import dev.steward.core.Chromium;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.ContractInput;
import dev.steward.customer.ContractManagement;
import dev.steward.customer.ContractStatus;
import dev.steward.health.HealthScoring;
import dev.steward.health.ScorecardManagement;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import dev.steward.identity.UserManagement;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * A CSM opens their cockpit, follows the first priority to the account, then opens the executive dashboard for their
 * tier, drills from ARR at risk to the accounts behind it, and downloads the dashboard as a PDF.
 */
@BrowserTest
// A database of its own: it expects what a fresh installation shows (first rows, version numbers), which the data of
// the browser tests sharing their context would change now that those run one after the other (see ContextGroups).
@TestPropertySource(properties = "steward.test.executive-browser=own-database")
class ExecutiveBrowserTests {

    private static final String PASSWORD = "erin-executive-password-1";
    // Short: the accounts list of a phone, which other browser tests read, shows this tier.
    private static final String TIER = "ExecB";

    private static final String SCORECARD = """
            name: Executive browser
            appliesTo: account.industry == "Executive Browser"
            priority: 41
            thresholds: { red: 40, yellow: 70 }
            minimumCoverage: 0
            dimensions:
              - name: Engagement
                weight: 100
                measures:
                  - name: CSM sentiment
                    metric: sentiment.csm
                    aggregate: latest
                    window: 120d
                    weight: 100
                    score: { linear: { from: 1, to: 5 } }
            """;

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @Autowired
    AccountManagement accounts;

    @Autowired
    ContractManagement contracts;

    @Autowired
    UserManagement userManagement;

    @Autowired
    UserDirectory users;

    @Autowired
    ScorecardManagement scorecards;

    @Autowired
    HealthScoring health;

    @Autowired
    ActivityRecorder activity;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Clock clock;

    @Test
    void aCsmGoesFromTheCockpitToTheAccountThenDrillsFromArrAtRiskAndDownloadsThePdf() throws Exception {
        Files.createDirectories(Chromium.SCREENSHOTS);
        LocalDate today = LocalDate.now(clock);
        User admin = users.findByEmail(Browsers.ADMIN_EMAIL).orElseThrow();
        User erin = userManagement.createIfAbsent("erin.executive@example.com", "Erin Executive", Role.CSM, PASSWORD);
        scorecards.publish(
                "Executive browser",
                scorecards
                        .saveDraft("Executive browser", SCORECARD, admin)
                        .version()
                        .version(),
                admin);
        // Ember's CSM sentiment is the lowest (Red); Fjord's the highest (Green).
        UUID ember = customer("Ember Works", erin, 80_000, 1);
        UUID fjord = customer("Fjord Supply", erin, 40_000, 5);
        settle();
        health.rescore(List.of(ember, fjord), today);
        settle();

        Page page = browsers.open(
                new Browser.NewContextOptions().setViewportSize(1440, 1100).setAcceptDownloads(true));
        page.navigate("http://localhost:" + port + "/");
        Browsers.signIn(page, "erin.executive@example.com", PASSWORD);
        assertThat(page).hasURL(Pattern.compile("/cockpit$"));
        assertThat(page.getByTestId("cockpit-title")).hasText("Cockpit: Erin Executive");

        // The first priority leads to its account.
        page.getByTestId("priority").first().getByTestId("priority-account").click();
        assertThat(page).hasURL(Pattern.compile("/accounts/(" + ember + "|" + fjord + ")$"));
        assertThat(page.getByTestId("account-name")).hasText(Pattern.compile("Ember Works|Fjord Supply"));

        // The executive dashboard, narrowed to Erin's tier with its filter.
        page.navigate("http://localhost:" + port + "/insight/executive");
        page.getByTestId("filter").getByLabel("Tier").selectOption(TIER);
        page.getByTestId("filter")
                .getByRole(com.microsoft.playwright.options.AriaRole.BUTTON)
                .click();
        assertThat(page).hasURL(Pattern.compile("tier=" + TIER));
        assertThat(page.getByTestId("risk-total")).hasText("$80,000");
        assertThat(page.getByTestId("productivity-row")
                        .filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText("Erin Executive"))
                        .getByTestId("prod-accounts"))
                .hasText("2");
        assertThat(page.locator("#productivity-chart canvas")).hasCount(1);
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(Chromium.SCREENSHOTS.resolve("executive.png"))
                .setFullPage(true));

        // ARR at risk drills down to the Red account.
        page.getByTestId("risk-total").click();
        assertThat(page).hasURL(Pattern.compile("/insight/executive/accounts\\?.*figure=at-risk"));
        assertThat(page.getByTestId("drill-total")).hasText("$80,000");
        assertThat(page.getByTestId("drill-row")).hasCount(1);
        assertThat(page.getByTestId("drill-row")).containsText("Ember Works");
        page.goBack();

        // The PDF downloads, and is one.
        Download download = page.waitForDownload(() -> page.getByTestId("pdf").click());
        assertThat(download.suggestedFilename()).isEqualTo("executive-dashboard-" + today + ".pdf");
        byte[] file = Files.readAllBytes(download.path());
        assertThat(new String(Arrays.copyOf(file, 5), StandardCharsets.ISO_8859_1))
                .isEqualTo("%PDF-");
        APIResponse response = page.request()
                .get("http://localhost:" + port + page.getByTestId("pdf").getAttribute("href"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().get("content-type")).isEqualTo("application/pdf");
        assertThat(new String(Arrays.copyOf(response.body(), 5), StandardCharsets.ISO_8859_1))
                .isEqualTo("%PDF-");
    }

    private UUID customer(String name, User owner, long arr, int sentiment) {
        UUID id = accounts.create(new AccountInput(
                        null,
                        name,
                        null,
                        null,
                        TIER,
                        "Executive Browser",
                        null,
                        100,
                        owner.id(),
                        null,
                        null,
                        null,
                        null))
                .id()
                .value();
        contracts.create(new ContractInput(
                null,
                id,
                null,
                LocalDate.parse("2025-01-01"),
                LocalDate.now(clock).plusDays(200),
                BigDecimal.valueOf(arr),
                10,
                "Business",
                ContractStatus.ACTIVE,
                true,
                null,
                null));
        activity.recordSentiment(
                new AccountId(id),
                new SentimentInput(
                        null, id, null, null, clock.instant().minus(Duration.ofDays(5)), sentiment, "as heard"));
        return id;
    }

    /** Waits until no re-score runs or waits, so that a requested re-score does not overwrite the test's own. */
    private void settle() {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> jdbc.sql("""
                                select (select count(*) from health_rescore_request)
                                     + (select count(*) from scheduled_tasks
                                         where (task_name like 'health-%' and picked)
                                            or task_name = 'health-published-rescore')""").query(Long.class).single() == 0);
    }
}
