package dev.steward.lifecycle;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import com.microsoft.playwright.options.LoadState;
import dev.steward.core.BrowserTest;
import dev.steward.core.Browsers;
import dev.steward.core.Chromium;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.ContractInput;
import dev.steward.customer.ContractManagement;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A manager writes a segment in a real browser: sees how many accounts match while typing, and an error at its line
 * with the name meant; fixes it, saves and publishes it, and filters the accounts list by it. Skipped where Debian's
 * Chromium is not installed; writes screenshots to {@code target/screenshots}.
 */
@BrowserTest
class SegmentsBrowserTests {

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
    Clock clock;

    @Test
    void writeASegmentSeeItsCountAndAnErrorFixPublishAndFilterTheAccountsByIt() throws Exception {
        Files.createDirectories(SCREENSHOTS);
        account("Harbor Freight Lines", "Browsertest-Shipping", 800, 240_000);
        account("Dockside Movers", "Browsertest-Shipping", 40, 18_000);
        account("Inland Farms", "Browsertest-Farming", 900, 90_000);
        Page page = browsers.signedIn(port, "/", new Browser.NewContextOptions().setViewportSize(1280, 800));

        page.getByRole(
                        AriaRole.LINK,
                        new Page.GetByRoleOptions().setName("Segments").setExact(true))
                .click();
        assertThat(page).hasURL(Pattern.compile("/segments$"));
        page.getByTestId("new-segment").click();
        page.waitForLoadState(LoadState.LOAD);
        Locator editor = page.getByTestId("yaml-editor");

        editor.fill("""
                name: Big shippers
                description: Shipping accounts with more than 100 people
                condition: |
                  account.industry == "Browsertest-Shipping"
                """);
        assertThat(page.getByTestId("preview-count")).hasText("2");
        assertThat(page.getByTestId("preview-arr")).hasText("$258,000");

        editor.fill("""
                name: Big shippers
                description: Shipping accounts with more than 100 people
                condition: |
                  account.industry == "Browsertest-Shipping" && account.employes > 100
                """);
        Locator problem = page.getByTestId("problem");
        assertThat(problem).hasCount(1);
        assertThat(problem)
                .hasText(Pattern.compile("^Line 4, column \\d+ — condition: unknown field 'employes'; did you mean"
                        + " 'account.employees'\\?$"));
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("segment-invalid.png")));

        editor.fill("""
                name: Big shippers
                description: Shipping accounts with more than 100 people
                condition: |
                  account.industry == "Browsertest-Shipping" && account.employees > 100
                """);
        assertThat(problem).hasCount(0);
        assertThat(page.getByTestId("preview-count")).hasText("1");
        assertThat(page.getByTestId("preview-sample")).containsText("Harbor Freight Lines");

        page.getByTestId("save-draft").click();
        assertThat(page.getByTestId("saved")).containsText("Saved version 1 as a draft");
        assertThat(page.getByTestId("segment-name")).hasText("Big shippers");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Publish version 1"))
                .click();
        assertThat(page.getByTestId("published")).containsText("Published version 1");
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("segment.png")));

        // Membership is evaluated in the background within seconds of the publication.
        page.navigate("http://localhost:" + port + "/segments");
        Locator row = page.locator("[data-testid=segment-row][data-name='Big shippers']");
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    page.reload();
                    return row.getByTestId("segment-members").innerText().equals("1");
                });
        assertThat(row.getByTestId("segment-arr")).hasText("$240,000");
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("segments.png")));

        page.getByRole(
                        AriaRole.LINK,
                        new Page.GetByRoleOptions().setName("Accounts").setExact(true))
                .first()
                .click();
        page.waitForLoadState(LoadState.LOAD);
        page.getByTestId("filter-segment").selectOption("Big shippers");
        assertThat(page).hasURL(Pattern.compile("segment=Big"));
        assertThat(page.getByTestId("accounts-table").locator("tbody tr")).hasCount(1);
        assertThat(page.getByTestId("accounts-table")).containsText("Harbor Freight Lines");
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("accounts-in-segment.png")));
    }

    /**
     * A manager fills a static segment from a CSV file on its page: a file with a row that names no account is refused
     * with the row named and nothing added; the fixed file adds its accounts.
     */
    @Test
    void fillAStaticSegmentFromACsvFile() throws Exception {
        Files.createDirectories(SCREENSHOTS);
        LocalDate today = LocalDate.now(clock);
        UUID first =
                account("Lantern Labs", "Browsertest-Logos", 300, 120_000, today.minusMonths(3), today.plusMonths(9));
        UUID second =
                account("Beacon Systems", "Browsertest-Logos", 200, 80_000, today.minusMonths(3), today.plusMonths(9));
        Page page =
                browsers.signedIn(port, "/segments/new", new Browser.NewContextOptions().setViewportSize(1280, 900));
        page.getByTestId("yaml-editor").fill("name: Key logos\ntype: static\n");
        page.getByTestId("save-draft").click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Publish version 1"))
                .click();
        assertThat(page.getByTestId("published")).containsText("Published version 1");

        Locator form = page.getByTestId("members-file-form");
        form.getByLabel("CSV file")
                .setInputFiles(new FilePayload(
                        "logos.csv",
                        "text/csv",
                        "name,accountId\nLantern Labs,%s\nTypo Inc,12345\n"
                                .formatted(first)
                                .getBytes(StandardCharsets.UTF_8)));
        form.getByTestId("members-upload").click();
        assertThat(page.getByTestId("members-file-refusal"))
                .containsText("Row 2, accountId: is '12345', not a Steward account id");
        assertThat(page.getByTestId("members-count")).containsText("0 accounts");

        page.getByTestId("members-file-form")
                .getByLabel("CSV file")
                .setInputFiles(new FilePayload(
                        "logos.csv",
                        "text/csv",
                        "name,accountId\nLantern Labs,%s\nBeacon Systems,%s\n"
                                .formatted(first, second)
                                .getBytes(StandardCharsets.UTF_8)));
        page.getByTestId("members-upload").click();
        assertThat(page.getByTestId("members-changed"))
                .hasText("2 of the 2 accounts in the file entered the segment; 0 were in already.");
        assertThat(page.getByTestId("members")).containsText("Lantern Labs");
        assertThat(page.getByTestId("members")).containsText("Beacon Systems");
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("segment-members-from-csv.png")));
    }

    /**
     * A manager moves an account to another lifecycle stage by hand: refused without a reason, then moved with one
     * and a hold; the account page shows the stage, who moved it and why, the Lifecycle page counts it in the stage
     * and lists it behind that count, and the accounts list shows it in that stage and finds it by the stage filter.
     */
    @Test
    void moveAnAccountToAnotherStageByHandWithAReasonAndFindItOnTheJourney() throws Exception {
        Files.createDirectories(SCREENSHOTS);
        LocalDate today = LocalDate.now(clock);
        UUID id = account(
                "Quayside Logistics", "Browsertest-Logistics", 300, 30_000, today.minusDays(200), today.plusDays(165));
        Page page =
                browsers.signedIn(port, "/accounts/" + id, new Browser.NewContextOptions().setViewportSize(1280, 900));
        Locator current = page.getByTestId("current-stage");
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    page.reload();
                    page.waitForLoadState(LoadState.NETWORKIDLE);
                    return current.count() == 1 && current.innerText().equals("Adoption");
                });

        Locator panel = page.getByTestId("stage-panel");
        panel.locator("summary").click();
        panel.getByLabel("Stage").selectOption("at_risk");
        panel.getByLabel("Hold until").fill(today.plusDays(14).toString());
        panel.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Move"))
                .click();
        assertThat(page.getByTestId("move-refused")).containsText("reason: is required");

        panel.getByLabel("Reason").fill("Champion left; exec sponsor unresponsive");
        panel.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Move"))
                .click();
        assertThat(current).hasText("At risk");
        assertThat(page.getByTestId("account-journey-stage")).hasText("At risk");
        assertThat(page.getByTestId("stage-panel")).containsText("Champion left; exec sponsor unresponsive");
        assertThat(page.getByTestId("stage-history")).containsText("Adoption");
        // The account's timeline reloads with the move at its top.
        assertThat(page.getByTestId("timeline").locator("li[data-kind=stage]").first())
                .containsText("Entered stage At risk");
        assertThat(page.getByTestId("timeline").locator("li[data-kind=stage]").first())
                .containsText("moved by hand by");

        // Its onboarding milestones are long overdue; the CSM marks the kick-off done with a note.
        Locator kickoff = page.locator("[data-testid=milestone][data-key=kickoff]");
        assertThat(kickoff).containsText("overdue");
        kickoff.getByLabel("Note").fill("Held with the IT lead");
        kickoff.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Mark Kick-off call done"))
                .click();
        assertThat(kickoff).containsText("Held with the IT lead");
        assertThat(page.getByTestId("milestones")).containsText("1 of 4 done");
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("account-stage.png")));

        page.getByRole(
                        AriaRole.LINK,
                        new Page.GetByRoleOptions().setName("Lifecycle").setExact(true))
                .click();
        assertThat(page).hasURL(Pattern.compile("/lifecycle$"));
        Locator atRisk = page.locator("[data-testid=stage-row][data-key=at_risk]");
        assertThat(atRisk).containsText("At risk");
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(SCREENSHOTS.resolve("lifecycle.png"))
                .setFullPage(true));
        atRisk.getByTestId("stage-accounts").click();
        assertThat(page.getByTestId("stage-members")).containsText("Quayside Logistics");
        assertThat(page.getByTestId("stage-members")).containsText("Champion left; exec sponsor unresponsive");

        // The accounts list shows each account's journey stage and filters by it.
        page.getByRole(
                        AriaRole.LINK,
                        new Page.GetByRoleOptions().setName("Accounts").setExact(true))
                .first()
                .click();
        page.waitForLoadState(LoadState.LOAD);
        page.getByTestId("account-search").fill("Quayside");
        assertThat(page).hasURL(Pattern.compile("q=Quayside"));
        Locator rows = page.getByTestId("accounts-table").locator("tbody tr");
        assertThat(rows).hasCount(1);
        page.getByTestId("filter-stage").selectOption("adoption");
        assertThat(page).hasURL(Pattern.compile("stage=adoption"));
        assertThat(page.getByTestId("accounts-table")).containsText("No accounts match these filters.");
        page.getByTestId("filter-stage").selectOption("at_risk");
        assertThat(page).hasURL(Pattern.compile("stage=at_risk"));
        assertThat(rows).hasCount(1);
        assertThat(rows.getByTestId("account-stage")).hasText("At risk");
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("accounts-in-stage.png")));
        rows.getByTestId("account-stage").getByRole(AriaRole.LINK).click();
        assertThat(page).hasURL(Pattern.compile("/lifecycle/stages/at_risk$"));
        assertThat(page.getByTestId("stage-members")).containsText("Quayside Logistics");
    }

    private void account(String name, String industry, int employees, int arr) {
        LocalDate today = LocalDate.now(clock);
        account(name, industry, employees, arr, today.minusMonths(3), today.plusMonths(9));
    }

    private UUID account(String name, String industry, int employees, int arr, LocalDate start, LocalDate end) {
        UUID id = accounts.create(new AccountInput(
                        null, name, null, null, "Mid-Market", industry, null, employees, null, null, null, null, null))
                .id()
                .value();
        contracts.create(new ContractInput(
                null, id, null, start, end, BigDecimal.valueOf(arr), 20, null, null, null, null, null));
        return id;
    }
}
