package dev.steward.lifecycle;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.steward.core.BrowserTest;
import dev.steward.core.Browsers;
import dev.steward.core.Chromium;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.ContractInput;
import dev.steward.customer.ContractManagement;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserManagement;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * A manager works the books of business in a real browser: writes assignment rules, sees a problem at its line, fixes
 * and publishes them, reads each CSM's workload, previews balancing moves and applies them with a reason, and assigns
 * an account by hand on its page. On a database of its own: published rules give every account an owner.
 */
@BrowserTest
@TestPropertySource(properties = "steward.test.books=own-database")
class BooksBrowserTests {

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @Autowired
    AccountManagement accounts;

    @Autowired
    ContractManagement contracts;

    @Autowired
    UserManagement users;

    @Autowired
    Clock clock;

    @Test
    void writeRulesReadTheWorkloadBalanceItAndAssignAnAccountByHand() throws Exception {
        Files.createDirectories(Chromium.SCREENSHOTS);
        User ada = users.createIfAbsent("ada.books@example.com", "Ada Books", Role.CSM);
        users.createIfAbsent("ben.books@example.com", "Ben Books", Role.CSM);
        UUID first = null;
        for (int i = 0; i < 4; i++) {
            UUID id = account("Lighthouse Works " + i, ada.id(), 150_000);
            first = first == null ? id : first;
        }
        Page page = browsers.signedIn(port, "/", new Browser.NewContextOptions().setViewportSize(1280, 900));
        page.getByRole(
                        AriaRole.LINK,
                        new Page.GetByRoleOptions().setName("Books").setExact(true))
                .click();
        assertThat(page).hasURL(Pattern.compile("/books$"));
        assertThat(page.getByTestId("no-rules")).isVisible();

        Locator yaml = page.getByTestId("rules-yaml");
        yaml.fill("""
                name: Books of business
                teams:
                  - key: all
                    name: Everyone
                    manager: admin@steward.local
                    members: [ada.books@example.com, ben.bokos@example.com]
                territories:
                  - key: everywhere
                    name: Everywhere
                    team: all
                """);
        page.getByTestId("save-rules").click();
        assertThat(page.getByTestId("saved")).containsText("it has problems");
        assertThat(page.getByTestId("problems"))
                .containsText(
                        Pattern.compile("line 6, column \\d+: teams\\[0\\]\\.members\\[1\\]: no user has the email"
                                + " 'ben\\.bokos@example\\.com'; did you mean 'ben\\.books@example\\.com'\\?"));
        page.getByTestId("rules-yaml")
                .fill(page.getByTestId("rules-yaml").inputValue().replace("bokos", "books"));
        page.getByTestId("save-rules").click();
        assertThat(page.getByTestId("saved")).containsText("Saved version 2");
        page.getByTestId("publish-rules").first().click();
        assertThat(page.getByTestId("published")).containsText("Published version 2");

        // Ada keeps her four accounts (she is in the pool); Ben has none: the workload says so.
        Locator adaRow = page.locator("[data-testid=owner-row][data-email='ada.books@example.com']");
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    page.reload();
                    return adaRow.getByTestId("owner-load").innerText().equals("10.0");
                });
        assertThat(page.locator("[data-testid=owner-row][data-email='ben.books@example.com']")
                        .getByTestId("owner-accounts"))
                .hasText("0");
        assertThat(page.getByTestId("load-chart").locator("canvas")).hasCount(1);

        page.getByTestId("suggest").click();
        assertThat(page.getByTestId("move")).hasCount(2);
        assertThat(page.getByTestId("gap-after")).hasText("0.0");
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(Chromium.SCREENSHOTS.resolve("books.png"))
                .setFullPage(true));
        page.getByTestId("apply-moves").click();
        assertThat(page.getByTestId("refusal")).containsText("reason: is required");
        page.getByTestId("suggest").click();
        page.getByLabel("Reason for the moves").fill("Ben starts this quarter");
        page.getByTestId("apply-moves").click();
        assertThat(page.getByTestId("applied")).containsText("Moved 2 accounts");
        assertThat(adaRow.getByTestId("owner-load")).hasText("5.0");

        // On an account's page: its owner and how they came to own it; assigned by hand with a reason, then handed
        // back.
        page.navigate("http://localhost:" + port + "/accounts/" + first);
        Locator panel = page.getByTestId("owner-panel");
        assertThat(panel.getByTestId("current-owner")).isVisible();
        panel.locator("summary").click();
        panel.getByLabel("Owner").selectOption("ben.books@example.com");
        panel.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Assign"))
                .click();
        assertThat(page.getByTestId("assign-refused")).containsText("reason: is required");
        page.getByTestId("owner-panel").getByLabel("Reason").fill("Ben knows their CTO");
        page.getByTestId("owner-panel")
                .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Assign"))
                .click();
        // The refused form kept the chosen owner: the assignment is Ben's, by hand, with the reason.
        assertThat(page.getByTestId("owner-cause")).containsText("assigned by Administrator: Ben knows their CTO");
        assertThat(page.getByTestId("current-owner")).hasText("Ben Books");
        page.getByTestId("hand-back").click();
        assertThat(page.getByTestId("owner-cause")).containsText("by the rules (territory everywhere)");
        assertThat(page.getByTestId("owner-history").locator("li").nth(1))
                .hasText(Pattern.compile("^\\s*Ben Books[\\s\\S]*\\(manual: Ben knows their CTO\\)\\s*$"));
        page.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("account-owner.png")));
    }

    private UUID account(String name, UUID owner, int arr) {
        LocalDate today = LocalDate.now(clock);
        UUID id = accounts.create(new AccountInput(
                        null, name, null, null, "Mid-Market", "Lighting", null, 300, owner, null, null, null, null))
                .id()
                .value();
        contracts.create(new ContractInput(
                null,
                id,
                null,
                today.minusMonths(6),
                today.plusMonths(8),
                BigDecimal.valueOf(arr),
                20,
                null,
                null,
                null,
                null,
                null));
        return id;
    }
}
