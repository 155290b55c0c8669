package dev.steward.health;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.LoadState;
import dev.steward.core.BrowserTest;
import dev.steward.core.Browsers;
import dev.steward.core.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * An administrator edits a shipped scorecard in a real browser: sees a validation error as they type, fixes it,
 * saves a draft and publishes it. Skipped where Debian's Chromium is not installed; writes screenshots to
 * {@code target/screenshots}.
 */
@BrowserTest
// A database of its own: it expects the shipped scorecards as a fresh installation has them (version 2 is its draft),
// which other browser tests sharing their context may have changed now that those run one after the other.
@TestPropertySource(properties = "steward.test.edit-a-scorecard=own-database")
class EditAScorecardBrowserTests {

    private static final Path SCREENSHOTS = Chromium.SCREENSHOTS;

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @Test
    void editSeeTheErrorFixSaveAndPublish() throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Page page = browsers.signedIn(port, "/", new Browser.NewContextOptions().setViewportSize(1280, 800));

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Scorecards"))
                .click();
        assertThat(page).hasURL(Pattern.compile("/scorecards$"));
        assertThat(page.getByTestId("scorecard-link")).hasText(new String[] {"Enterprise", "Mid-Market", "SMB"});
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("SMB").setExact(true))
                .click();
        assertThat(page.getByTestId("scorecard-name")).hasText("SMB");
        // The editor checks what is typed once htmx has set it up, which happens as the page finishes loading.
        page.waitForLoadState(LoadState.LOAD);

        Locator editor = page.getByTestId("yaml-editor");
        String shipped = editor.inputValue();
        // Login frequency from 20 to 10: the Product dimension's measures now total 90.
        String ninety = shipped.replaceFirst("weight: 20", "weight: 10");
        type(page, ninety);
        Locator problem = page.getByTestId("problem");
        assertThat(problem).hasCount(1);
        assertThat(problem)
                .hasText(
                        Pattern.compile(
                                "^Line 10, column \\d+ — dimensions\\[0\\]\\.measures: measure weights total 90, must be 100$"));
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("scorecard-invalid.png")));

        // Active users from 15 to 25 restores the total.
        type(page, ninety.replaceFirst("weight: 15", "weight: 25"));
        assertThat(page.getByTestId("valid")).isVisible();
        assertThat(problem).hasCount(0);

        page.getByTestId("save-draft").click();
        assertThat(page.getByTestId("saved")).containsText("Saved version 2 as a draft");
        assertThat(editor).hasValue(Pattern.compile("weight: 25"));
        // Publishing asks first once the page's script is set up; clicked before that, the form posts at once (the
        // page works without the script), and a loaded machine is slow enough for the click to come first.
        page.waitForLoadState(LoadState.LOAD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Publish version 2"))
                .click();
        page.getByTestId("confirm-publish").click();
        assertThat(page.getByTestId("published")).containsText("Published version 2");

        Locator rows = page.getByTestId("version-row");
        assertThat(rows).hasCount(2);
        assertThat(rows.nth(0)).hasAttribute("data-status", "published");
        assertThat(rows.nth(0).getByTestId("status")).hasText("published");
        assertThat(rows.nth(1)).hasAttribute("data-status", "superseded");
        assertThat(rows.nth(1).getByTestId("status")).hasText("superseded");

        rows.nth(0).getByTestId("diff-link").click();
        assertThat(page.locator("#diff .diff-removed").filter(new Locator.FilterOptions().setHasText("weight: 20")))
                .hasCount(1);
        assertThat(page.locator("#diff .diff-added").filter(new Locator.FilterOptions().setHasText("weight: 25")))
                .hasCount(1);
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("scorecard.png")));
    }

    /**
     * Replaces the code editor's text as pasting would (the editor is checked after each change) and takes the caret
     * back to the top, where the changed weights are, for the screenshots.
     */
    private static void type(Page page, String text) {
        dev.steward.core.CodeEditors.replaceText(page, text);
    }
}
