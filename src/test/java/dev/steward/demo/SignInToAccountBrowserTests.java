package dev.steward.demo;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ReducedMotion;
import dev.steward.activity.Timeline;
import dev.steward.core.BrowserTest;
import dev.steward.core.Browsers;
import dev.steward.core.Chromium;
import dev.steward.customer.Account;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.AccountQuery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * What a person sees in a real browser: signing in, finding an account in the list and reading its page, on a
 * desktop and on a phone. Skipped where Debian's Chromium is not installed; writes screenshots to
 * {@code target/screenshots}.
 */
@BrowserTest
// A database of its own: it expects what a fresh installation shows (first rows, version numbers), which the data of
// the browser tests sharing their context would change now that those run one after the other (see ContextGroups).
@TestPropertySource(properties = "steward.test.sign-in-to-account=own-database")
class SignInToAccountBrowserTests {

    private static final Path SCREENSHOTS = Chromium.SCREENSHOTS;
    private static final String ADMIN_PASSWORD = Browsers.ADMIN_PASSWORD;
    /** More than one page of the accounts list, yet loaded in about a second. */
    private static final int DEMO_ACCOUNTS = 60;

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @Autowired
    DemoLoader demo;

    @Autowired
    AccountManagement accounts;

    @Autowired
    Timeline timeline;

    @Autowired
    java.time.Clock clock;

    @BeforeEach
    void loadDemoCompanyOnce() {
        // The application context, and so its database, is shared with other browser tests, which add accounts of
        // their own: load unless the demo company's first account is there.
        String first = new DemoCompany(42, java.time.LocalDate.now(clock))
                .generate(0)
                .profile()
                .externalId();
        if (accounts.resolve(DemoLoader.SOURCE, java.util.List.of(first)).isEmpty()) {
            demo.load(DEMO_ACCOUNTS, 42);
        }
    }

    @Test
    void signInFindAnAccountAndReadItsStory() throws Exception {
        Account target = enterpriseAccountWithManyTickets();
        Page page = open(1280, 800);

        page.navigate(url("/"));
        assertThat(page).hasURL(Pattern.compile("/login$"));
        signIn(page, ADMIN_PASSWORD);

        assertThat(page).hasURL(Pattern.compile("/accounts$"));
        Locator rows = page.locator("[data-testid=accounts-table] tbody tr");
        assertThat(rows).hasCount(50);
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("accounts.png")));

        // htmx swaps the results in place: a marker on the window survives only if the page is not reloaded.
        page.evaluate("window.stillTheSamePage = true");
        String word = target.name().split(" ")[1];
        swapping(
                page,
                "#account-results",
                () -> page.getByTestId("account-search").fill(word));
        List<String> names = page.getByTestId("account-link").allTextContents();
        assertThat(names)
                .hasSizeLessThan(50)
                .contains(target.name())
                .allSatisfy(name -> assertThat(name).containsIgnoringCase(word));

        swapping(page, "#account-results", () -> page.getByTestId("filter-tier").selectOption("Enterprise"));
        assertThat(page.getByTestId("account-link")).containsText(new String[] {target.name()});
        assertThat(page.locator("[data-testid=accounts-table] tbody td:nth-child(2)")
                        .allTextContents())
                .isNotEmpty()
                .containsOnly("Enterprise");
        assertThat(page).hasURL(Pattern.compile("q=" + word + "&tier=Enterprise"));
        assertThat(page.evaluate("window.stillTheSamePage")).isEqualTo(true);

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(target.name()))
                .click();
        assertThat(page.getByTestId("account-name")).hasText(target.name());
        assertThat(page.getByTestId("account-arr")).hasText(Pattern.compile("^\\$[1-9][0-9,]*$"));
        assertThat(page.locator("[data-testid=contacts-table] tbody tr").first())
                .not()
                .containsText("No contacts yet");
        assertThat(page.locator("[data-testid=contracts-table] tbody tr").first())
                .not()
                .containsText("No contracts yet");
        assertThat(page.locator("#arr-chart canvas")).isVisible();
        Locator entries = page.locator("[data-testid=timeline] li[data-kind]");
        assertThat(entries.nth(4)).isVisible();
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("account.png")));
        page.screenshot(
                new Page.ScreenshotOptions().setFullPage(true).setPath(SCREENSHOTS.resolve("account-full.png")));

        List<String> kinds = page.locator("[data-testid=timeline-filter] input[name=kinds]").all().stream()
                .map(input -> input.getAttribute("value"))
                .toList();
        assertThat(kinds).contains("ticket", "stage", "owner", "contract", "contact");
        for (String kind : kinds) {
            if (!kind.equals("ticket")) {
                // Each change reloads the timeline and its filter; the next click must land on the new one.
                swapping(
                        page,
                        "[data-testid=timeline-filter]",
                        () -> page.locator("label[for=kind-" + kind + "]").click());
            }
        }
        assertThat(page.locator("#kind-ticket")).isChecked();
        int firstPage = entries.count();
        assertThat(firstPage).isGreaterThan(1);
        assertThat(entries.and(page.locator(":not([data-kind=ticket])"))).hasCount(0);

        page.getByTestId("timeline-more").click();
        assertThat(entries.nth(firstPage)).isVisible();
        assertThat(entries.and(page.locator(":not([data-kind=ticket])"))).hasCount(0);
    }

    @Test
    void aWrongPasswordIsRefusedWithAMessage() throws Exception {
        Page page = open(1280, 800);
        page.navigate(url("/login"));
        signIn(page, "not-the-password");

        assertThat(page).hasURL(Pattern.compile("/login\\?error"));
        assertThat(page.getByTestId("sign-in-error")).hasText("Email or password is wrong");
        assertThat(page.getByTestId("current-user")).hasCount(0);
    }

    @Test
    void accountsAndAnAccountFitAPhone() throws Exception {
        Page page = open(390, 844);
        page.navigate(url("/accounts"));
        signIn(page, ADMIN_PASSWORD);

        Locator firstRow = page.locator("[data-testid=accounts-table] tbody tr").first();
        assertThat(firstRow).isVisible();
        assertThat(page.locator(".navbar-toggler")).isVisible();
        assertThat(page.locator("#main-nav")).not().isVisible();
        assertThat(fitsTheWidth(page))
                .as("the accounts list does not scroll sideways")
                .isTrue();
        assertThat(inView(page, firstRow.locator("td:nth-child(4)")))
                .as("ARR is in view without scrolling the table")
                .isTrue();
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("accounts-phone.png")));

        firstRow.getByTestId("account-link").click();
        assertThat(page.locator("[data-testid=timeline] li[data-kind]").first()).isVisible();
        assertThat(fitsTheWidth(page))
                .as("the account page does not scroll sideways")
                .isTrue();
        page.screenshot(
                new Page.ScreenshotOptions().setFullPage(true).setPath(SCREENSHOTS.resolve("account-phone.png")));
    }

    private static boolean fitsTheWidth(Page page) {
        return (Boolean) page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1");
    }

    private static boolean inView(Page page, Locator element) {
        return element.boundingBox().x + element.boundingBox().width <= page.viewportSize().width;
    }

    /** An account whose tickets alone fill more than one page of the timeline, so "Show older" has work to do. */
    private Account enterpriseAccountWithManyTickets() {
        return accounts
                .list(new AccountQuery(null, "Enterprise", null, null, null, null, null, "name", 500, null))
                .items()
                .stream()
                .filter(a ->
                        timeline.forAccount(a.id(), Set.of("ticket"), 25, null).next() != null)
                .findFirst()
                .orElseThrow(
                        () -> new IllegalStateException("The demo company has no Enterprise account with 26 tickets"));
    }

    /** Runs an action that makes htmx replace an element, and waits until the replacement is in the page. */
    private static void swapping(Page page, String selector, Runnable action) {
        // The old element carries the mark; the one htmx puts in its place does not.
        page.locator(selector).evaluate("element => element.dataset.replaced = 'soon'");
        action.run();
        page.locator(selector + ":not([data-replaced])").waitFor();
    }

    private Page open(int width, int height) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        // Reduced motion: the ARR chart is drawn at once rather than animated, so screenshots show all of it.
        return browsers.open(
                new Browser.NewContextOptions().setViewportSize(width, height).setReducedMotion(ReducedMotion.REDUCE));
    }

    private void signIn(Page page, String password) {
        Browsers.signIn(page, Browsers.ADMIN_EMAIL, password);
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }
}
