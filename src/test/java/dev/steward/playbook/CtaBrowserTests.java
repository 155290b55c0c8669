package dev.steward.playbook;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.LoadState;
import dev.steward.activity.ActivityRecorder;
import dev.steward.activity.SentimentInput;
import dev.steward.core.BrowserTest;
import dev.steward.core.Browsers;
import dev.steward.core.Chromium;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AccountManagement;
import dev.steward.health.HealthScoring;
import dev.steward.health.ScorecardManagement;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import dev.steward.identity.UserManagement;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
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
 * A CSM works a CTA in a real browser: the shipped At-risk intervention is on, the CSM's account turns Red (its
 * health falls from Green when the CSM's sentiment drops), the CTA appears in the CSM's list, and the CSM opens it,
 * ticks its tasks, closes it as saved and finds it on the account's timeline. On a database of its own: the playbook
 * would make CTAs for other tests' accounts.
 */
@BrowserTest
@TestPropertySource(properties = "steward.test.ctas=own-database")
class CtaBrowserTests {

    private static final String PASSWORD = "cara-ctas-password-1";

    private static final String SCORECARD = """
            name: Playbook browser
            appliesTo: account.industry == "Playbook Browser"
            priority: 1
            thresholds: { red: 40, yellow: 70 }
            minimumCoverage: 0
            dimensions:
              - name: Engagement
                weight: 100
                measures:
                  - name: CSM sentiment
                    metric: sentiment.csm
                    aggregate: latest
                    window: 90d
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
    PlaybookManagement playbooks;

    @Autowired
    CtaWork work;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Clock clock;

    @Test
    void aCsmWorksTheCtaThatTheirAccountTurningRedMade() throws Exception {
        Files.createDirectories(Chromium.SCREENSHOTS);
        LocalDate today = LocalDate.now(clock);
        User admin = users.findByEmail(Browsers.ADMIN_EMAIL).orElseThrow();
        User cara = userManagement.createIfAbsent("cara.ctas@example.com", "Cara Ctas", Role.CSM, PASSWORD);
        UUID account = accounts.create(new AccountInput(
                        null,
                        "Harbour Lights",
                        null,
                        null,
                        "SMB",
                        "Playbook Browser",
                        null,
                        40,
                        cara.id(),
                        null,
                        null,
                        null,
                        null))
                .id()
                .value();
        int version = scorecards
                .saveDraft("Playbook browser", SCORECARD, admin)
                .version()
                .version();
        scorecards.publish("Playbook browser", version, admin);
        settle(account);

        // Green since yesterday: the CSM is happy with the account.
        sentiment(account, 5, 30, "Great kick-off");
        health.rescore(List.of(account), today.minusDays(1));
        health.rescore(List.of(account), today);
        assertThat(health.current(account).orElseThrow().color().name()).isEqualTo("GREEN");
        assertThat(playbooks.installShipped(List.of("At-risk intervention"), admin))
                .containsExactly("At-risk intervention");
        settle(account);

        // Red: the champion left. The playbook hears the color change and makes the CTA.
        sentiment(account, 1, 1, "Champion left; the new VP wants to cut tools");
        health.rescore(List.of(account), today);
        assertThat(health.current(account).orElseThrow().color().name()).isEqualTo("RED");

        Page page = browsers.open(1360, 1000);
        page.navigate("http://localhost:" + port + "/ctas");
        Browsers.signIn(page, "cara.ctas@example.com", PASSWORD);
        assertThat(page).hasURL(Pattern.compile("/ctas(\\?continue)?$"));
        Locator row = page.getByTestId("cta-row").filter(new Locator.FilterOptions().setHasText("Harbour Lights"));
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    page.reload();
                    return row.count() == 1;
                });
        assertThat(row.getByTestId("cta-title")).hasText("Harbour Lights turned Red");
        assertThat(row.getByTestId("cta-tasks")).hasText("0/5");
        assertThat(row.getByTestId("priority")).hasText("high");
        assertThat(page.getByTestId("scope-mine")).hasClass(Pattern.compile("active"));
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(Chromium.SCREENSHOTS.resolve("ctas.png"))
                .setFullPage(true));

        row.getByTestId("cta-title").click();
        assertThat(page.getByTestId("cta-title")).hasText("Harbour Lights turned Red");
        assertThat(page.getByTestId("cause")).containsText("Health turned red from green");
        assertThat(page.getByTestId("cta-playbook")).hasText("At-risk intervention, version 1");
        assertThat(page.getByTestId("cta-owner")).hasText("Cara Ctas");
        // Made on Wednesday 18 March with an SLA of 2 business days: due at the end of Friday.
        assertThat(page.getByTestId("cta-due")).containsText("end of Fri 20 Mar 2026");

        // A refusal is said on the page: closing needs an outcome.
        page.getByTestId("close").click();
        assertThat(page.getByTestId("refusal")).containsText("outcome: is required");

        // The boxes are sent by htmx, which starts once the page has loaded.
        page.waitForLoadState(LoadState.LOAD);
        Locator tasks = page.getByTestId("task");
        assertThat(tasks).hasCount(5);
        for (int i = 0; i < 5; i++) {
            page.getByTestId("task-done").nth(i).click();
            assertThat(page.getByTestId("task").nth(i)).hasAttribute("data-done", "true");
        }
        assertThat(page.getByTestId("tasks-count")).hasText("5 of 5 done");
        assertThat(page.getByTestId("event").last()).containsText("did “Hold a QBR on the remediation plan”");

        page.getByLabel("Outcome").selectOption("saved");
        page.getByLabel("Reason").first().fill("Met the new VP; they stay on a smaller plan");
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(Chromium.SCREENSHOTS.resolve("cta.png"))
                .setFullPage(true));
        page.getByTestId("close").click();
        assertThat(page.getByTestId("cta-status")).hasText("closed: saved");
        assertThat(page.getByTestId("event").last())
                .containsText("closed it: saved — Met the new VP; they stay on a smaller plan");
        assertThat(page.getByTestId("reopen")).isVisible();

        // The account's timeline tells the story, and its CTA panel has no active CTA left.
        page.getByTestId("cta-account").click();
        assertThat(page.getByTestId("no-panel-ctas")).isVisible();
        Locator timeline = page.locator("#timeline");
        assertThat(timeline).containsText("CTA closed (saved): Harbour Lights turned Red");
        assertThat(timeline).containsText("CTA made: Harbour Lights turned Red");

        // A CTA past its due time: red in the list, and counted beside "CTAs" in the navigation.
        UUID late = work.create(
                        new CtaWork.NewCta(account, "renewal", "Send the renewal quote", "medium", 1, null, null), cara)
                .cta()
                .id();
        jdbc.sql("update cta set due_at = ? where id = ?")
                .params(java.sql.Timestamp.from(clock.instant().minus(1, ChronoUnit.DAYS)), late)
                .update();
        page.getByTestId("nav-ctas").click();
        assertThat(page.getByTestId("nav-overdue")).hasText("1");
        assertThat(page.getByTestId("cta-row")
                        .filter(new Locator.FilterOptions().setHasText("Send the renewal quote"))
                        .getByTestId("cta-due"))
                .containsText("overdue");

        // A manager reads the playbook: its dry run replays the year (one turn from Green yesterday to Red today) and
        // its report counts the CTA closed within its SLA, with no control group to compare against.
        Page manager = browsers.signedIn(port, "/playbooks/At-risk%20intervention", 1360, 1000);
        assertThat(manager.getByTestId("report-ctas")).hasText("1");
        assertThat(manager.getByTestId("report-sla")).hasText("100%");
        assertThat(manager.getByTestId("verdict").first()).hasText("inconclusive");
        manager.waitForLoadState(LoadState.LOAD);
        manager.getByTestId("dry-run").click();
        // The first dry run in a context compiles what it reads: give it time.
        assertThat(manager.getByTestId("replay-summary"))
                .containsText("1 CTAs in the year", new LocatorAssertions.ContainsTextOptions().setTimeout(30_000));
        assertThat(manager.getByTestId("replay-chart").locator("canvas")).hasCount(1);
        manager.screenshot(new Page.ScreenshotOptions()
                .setPath(Chromium.SCREENSHOTS.resolve("playbook.png"))
                .setFullPage(true));
    }

    private void sentiment(UUID account, int score, int hoursAgo, String reason) {
        activity.recordSentiment(
                new AccountId(account),
                new SentimentInput(
                        null, account, null, null, clock.instant().minus(hoursAgo, ChronoUnit.HOURS), score, reason));
    }

    /**
     * Waits until no re-score runs or waits (publishing a scorecard asks for one of every account, a new fact for one
     * of its account): a re-score running beside the test's own could store the colors in another order.
     */
    private void settle(UUID account) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> jdbc.sql("""
                                select (select count(*) from health_rescore_request where account_id = ?)
                                     + (select count(*) from scheduled_tasks
                                         where (task_name like 'health-%' and picked)
                                            or task_name = 'health-published-rescore')""").param(account).query(Long.class).single() == 0);
    }
}
