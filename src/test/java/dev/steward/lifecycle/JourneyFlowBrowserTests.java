package dev.steward.lifecycle;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ReducedMotion;
import dev.steward.core.BrowserTest;
import dev.steward.core.Browsers;
import dev.steward.core.Chromium;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.ContractInput;
import dev.steward.customer.ContractManagement;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A CS leader opens the journey's flow in a real browser, narrows it to a start cohort, reads where the cohort's
 * accounts went and which stalled, and clicks through from a number to the accounts behind it. Skipped where
 * Debian's Chromium is not installed; writes screenshots to {@code target/screenshots}.
 */
@BrowserTest
class JourneyFlowBrowserTests {

    private static final Path SCREENSHOTS = Chromium.SCREENSHOTS;

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @Autowired
    AccountManagement accounts;

    @Autowired
    ContractManagement contracts;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    Clock clock;

    @Test
    void narrowTheFlowToACohortAndOpenTheAccountsBehindItsNumbers() throws Exception {
        Files.createDirectories(SCREENSHOTS);
        LocalDate today = LocalDate.now(clock);
        // The only account whose first contract started 300 days ago, in its quarter: onboarded for 80 days, then in
        // adoption for 220, where the journey's rules keep it.
        LocalDate start = today.minusDays(300);
        String cohort = start.getYear() + "-Q" + ((start.getMonthValue() - 1) / 3 + 1);
        UUID id = accounts.create(new AccountInput(
                        null,
                        "Flowline Freight",
                        null,
                        null,
                        "Mid-Market",
                        "Browsertest-Flow",
                        null,
                        120,
                        null,
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
                start,
                today.plusDays(400),
                BigDecimal.valueOf(45_000),
                20,
                null,
                null,
                null,
                null,
                null));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> jdbc.sql("select count(*) from account_stage where account_id = ? and left_at is null")
                                .param(id)
                                .query(Long.class)
                                .single()
                        == 1);
        transactions.executeWithoutResult(status -> {
            jdbc.sql("select pg_advisory_xact_lock(hashtext('segment membership'))")
                    .query()
                    .singleValue();
            jdbc.sql("delete from account_stage where account_id = ?").param(id).update();
            stay(id, "onboarding", "Onboarding", start, start.plusDays(80));
            stay(id, "adoption", "Adoption", start.plusDays(80), null);
        });

        // Reduced motion: the chart is drawn at once, so the screenshot shows it whole.
        Page page = browsers.signedIn(
                port,
                "/lifecycle",
                new Browser.NewContextOptions().setViewportSize(1280, 900).setReducedMotion(ReducedMotion.REDUCE));
        page.getByTestId("flow-tab").click();
        assertThat(page).hasURL(Pattern.compile("/lifecycle/flow$"));
        page.getByTestId("flow-cohort").selectOption(cohort);
        page.getByTestId("flow-show").click();
        assertThat(page).hasURL(Pattern.compile("cohort=" + cohort));
        assertThat(page.getByTestId("flow-summary")).containsText("first contract started in " + cohort);

        Locator onboarding = page.locator("[data-testid=flow-row][data-key=onboarding]");
        assertThat(onboarding.getByTestId("flow-entered")).hasText("1");
        assertThat(onboarding.getByTestId("flow-conversion")).hasText("(100%)");
        assertThat(onboarding.getByTestId("flow-median")).hasText("80");
        assertThat(onboarding.getByTestId("flow-still")).hasText("0");
        Locator adoption = page.locator("[data-testid=flow-row][data-key=adoption]");
        assertThat(adoption.getByTestId("flow-still")).hasText("1");
        assertThat(adoption.getByTestId("flow-stalled")).hasText("1");
        // Nothing entered growth: no conversion to show, rather than 0%.
        assertThat(page.locator("[data-testid=flow-row][data-key=growth]").getByTestId("flow-conversion"))
                .hasText("(—)");
        assertThat(page.locator("#flow-sankey canvas")).hasCount(1);
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(SCREENSHOTS.resolve("journey-flow.png"))
                .setFullPage(true));

        onboarding.getByTestId("flow-converted").getByRole(AriaRole.LINK).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1)))
                .hasText("Accounts that entered Onboarding and moved on to Adoption");
        assertThat(page.getByTestId("flow-count")).containsText("1 account");
        Locator listed = page.getByTestId("flow-accounts");
        assertThat(listed.locator("tbody tr")).hasCount(1);
        assertThat(listed).containsText("Flowline Freight");
        assertThat(listed).containsText("$45,000");
        assertThat(listed.locator("tbody tr td").last()).hasText("80");
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("journey-flow-accounts.png")));

        page.getByTestId("back-to-flow").click();
        assertThat(page).hasURL(Pattern.compile("cohort=" + cohort));
        page.locator("[data-testid=flow-row][data-key=adoption]")
                .getByTestId("flow-stalled")
                .click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1)))
                .hasText("Accounts that stalled in Adoption: there for more than 90 days");
        assertThat(page.getByTestId("flow-accounts")).containsText("Flowline Freight");
        assertThat(page.getByTestId("flow-accounts").locator("tbody tr td").last())
                .hasText("220");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Flowline Freight"))
                .click();
        assertThat(page).hasURL(Pattern.compile("/accounts/" + id + "$"));
    }

    private void stay(UUID account, String stage, String name, LocalDate entered, LocalDate left) {
        jdbc.sql("""
                        insert into account_stage (account_id, stage, stage_name, entered_at, left_at, cause)
                        values (?, ?, ?, ?, ?, 'rule')""")
                .params(
                        account,
                        stage,
                        name,
                        Timestamp.from(entered.atStartOfDay().toInstant(ZoneOffset.UTC)),
                        left == null ? null : Timestamp.from(left.atStartOfDay().toInstant(ZoneOffset.UTC)))
                .update();
    }
}
