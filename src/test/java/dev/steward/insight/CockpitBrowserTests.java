package dev.steward.insight;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.steward.activity.ActivityRecorder;
import dev.steward.activity.MeetingInput;
import dev.steward.activity.SentimentInput;
import dev.steward.activity.TicketInput;
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
import dev.steward.playbook.CtaWork;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * A CSM signs in and lands on their cockpit: the overdue CTA first, the book's health and its twelve-week trend, the
 * week's events; they follow the first priority to the account.
 */
@BrowserTest
// A database of its own: it expects what a fresh installation shows (first rows, version numbers), which the data of
// the browser tests sharing their context would change now that those run one after the other (see ContextGroups).
@TestPropertySource(properties = "steward.test.cockpit-browser=own-database")
class CockpitBrowserTests {

    private static final String PASSWORD = "cora-cockpit-password-1";

    private static final String SCORECARD = """
            name: Cockpit browser
            appliesTo: account.industry == "Cockpit Browser"
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
    CtaWork work;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Clock clock;

    @Test
    void aCsmLandsOnTheCockpitAndFollowsTheFirstPriorityToTheAccount() throws Exception {
        Files.createDirectories(Chromium.SCREENSHOTS);
        LocalDate today = LocalDate.now(clock);
        Instant now = clock.instant();
        User admin = users.findByEmail(Browsers.ADMIN_EMAIL).orElseThrow();
        User cora = userManagement.createIfAbsent("cora.cockpit@example.com", "Cora Cockpit", Role.CSM, PASSWORD);
        scorecards.publish(
                "Cockpit browser",
                scorecards
                        .saveDraft("Cockpit browser", SCORECARD, admin)
                        .version()
                        .version(),
                admin);

        // Sentiment over the weeks, oldest first (days ago → score): some hold, some slide, one recovers.
        Map<String, int[][]> book = new LinkedHashMap<>();
        book.put("Quay Logistics", new int[][] {{100, 5}, {20, 3}});
        book.put("Harbour Lights", new int[][] {{100, 4}, {40, 2}, {3, 1}});
        book.put("Meridian Bank", new int[][] {{100, 5}});
        book.put("Northwind Foods", new int[][] {{100, 5}, {60, 4}});
        book.put("Orchid Health", new int[][] {{100, 2}, {30, 4}});
        book.put("Pinecrest Labs", new int[][] {{100, 4}, {10, 2}});
        book.put("Riverbend Media", new int[][] {{100, 5}});
        book.put("Summit Retail", new int[][] {{100, 3}});
        long[] arr = {240_000, 180_000, 320_000, 90_000, 60_000, 45_000, 120_000, 30_000};
        int[] renewsIn = {400, 45, 300, 90, 500, 20, 600, 700};
        Map<String, UUID> ids = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, int[][]> entry : book.entrySet()) {
            UUID id = accounts.create(new AccountInput(
                            null,
                            entry.getKey(),
                            null,
                            null,
                            "Mid-Market",
                            "Cockpit Browser",
                            null,
                            200,
                            cora.id(),
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
                    LocalDate.parse("2024-01-01"),
                    today.plusDays(renewsIn[i]),
                    BigDecimal.valueOf(arr[i]),
                    50,
                    "Business",
                    ContractStatus.ACTIVE,
                    true,
                    null,
                    null));
            for (int[] sentiment : entry.getValue()) {
                activity.recordSentiment(
                        new AccountId(id),
                        new SentimentInput(
                                null,
                                id,
                                null,
                                null,
                                now.minus(Duration.ofDays(sentiment[0])),
                                sentiment[1],
                                "as heard"));
            }
            // All but Riverbend met lately.
            if (!entry.getKey().equals("Riverbend Media")) {
                activity.recordMeeting(
                        new AccountId(id),
                        new MeetingInput(
                                null,
                                id,
                                null,
                                now.minus(Duration.ofDays(3 + i)),
                                dev.steward.activity.Meeting.Type.check_in,
                                "Check-in",
                                List.of("cora.cockpit@example.com"),
                                false,
                                null));
            }
            ids.put(entry.getKey(), id);
            i++;
        }
        activity.recordTicket(
                new AccountId(ids.get("Harbour Lights")),
                new TicketInput(
                        null,
                        ids.get("Harbour Lights"),
                        null,
                        now.minus(Duration.ofHours(20)),
                        null,
                        null,
                        "Reports time out",
                        null,
                        null,
                        true,
                        null));
        settle();
        List<UUID> all = new ArrayList<>(ids.values());
        for (int back = 11; back >= 0; back--) {
            health.rescore(all, today.minusWeeks(back));
        }
        UUID cta = work.create(
                        new CtaWork.NewCta(
                                ids.get("Quay Logistics"),
                                "risk",
                                "Call Quay about the usage dip",
                                "high",
                                2,
                                null,
                                null),
                        admin)
                .cta()
                .id();
        jdbc.sql("update cta set due_at = ? where id = ?")
                .params(Timestamp.from(now.minus(Duration.ofDays(2))), cta)
                .update();
        settle();

        // Signing in from the home page lands a CSM on the cockpit.
        Page page = browsers.open(1440, 1100);
        page.navigate("http://localhost:" + port + "/");
        Browsers.signIn(page, "cora.cockpit@example.com", PASSWORD);
        assertThat(page).hasURL(Pattern.compile("/cockpit$"));
        assertThat(page.getByTestId("cockpit-title")).hasText("Cockpit: Cora Cockpit");
        assertThat(page.getByTestId("nav-cockpit")).hasClass(Pattern.compile("active"));
        Locator first = page.getByTestId("priority").first();
        assertThat(first).hasAttribute("data-kind", "cta_overdue");
        assertThat(first.getByTestId("priority-reason"))
                .hasText("CTA “Call Quay about the usage dip” is 2 days overdue (due Mon 16 Mar)");
        assertThat(first.getByTestId("priority-ranked-by"))
                .hasText("Why ranked here: Tier 1 of 9 (Overdue CTAs); weight 2 × $240,000 = 480,000");
        assertThat(page.getByTestId("priority")
                        .filter(new Locator.FilterOptions().setHasText("Riverbend Media"))
                        .getByTestId("priority-reason"))
                .hasText("No meeting or note recorded");
        assertThat(page.getByTestId("book-arr")).hasText("$1,085,000");
        assertThat(page.getByTestId("event").filter(new Locator.FilterOptions().setHasText("Reports time out")))
                .hasCount(1);
        // The trend is drawn.
        assertThat(page.locator("#cockpit-trend canvas")).hasCount(1);
        page.getByTestId("ranking-rule").locator("summary").click();
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(Chromium.SCREENSHOTS.resolve("cockpit.png"))
                .setFullPage(true));

        first.getByTestId("priority-account").click();
        assertThat(page).hasURL(Pattern.compile("/accounts/" + ids.get("Quay Logistics") + "$"));
        assertThat(page.getByTestId("account-name")).hasText("Quay Logistics");
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
