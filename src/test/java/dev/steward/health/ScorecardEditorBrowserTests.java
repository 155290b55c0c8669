package dev.steward.health;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.LoadState;
import dev.steward.core.BrowserTest;
import dev.steward.core.Browsers;
import dev.steward.core.Chromium;
import dev.steward.core.CodeEditors;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AccountManagement;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * An administrator creates a scorecard from a template in the code editor of a real browser: mistypes a weight, sees
 * the problem marked in the gutter at its line with the reason on hover, saves it anyway and is warned, fixes it,
 * changes a threshold in the form view, publishes after the confirmation that shows what publishing would change, and
 * deletes a draft nobody wants. Writes screenshots to {@code target/screenshots}.
 */
@BrowserTest
// A database of its own: the accounts made and the scorecard published here would show in other tests.
@TestPropertySource(properties = "steward.test.context=scorecard-editor-browser")
class ScorecardEditorBrowserTests {

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @Autowired
    AccountManagement accounts;

    @Test
    void createFromATemplateSeeTheErrorAtItsLineFixItAndPublishAfterTheConfirmation() throws Exception {
        accounts.upsert("crm", List.of(strategic("Strategic Ant"), strategic("Strategic Bee")), true);
        Files.createDirectories(Chromium.SCREENSHOTS);
        Page page = browsers.signedIn(port, "/scorecards", 1280, 900);

        page.getByTestId("new-scorecard").click();
        page.getByTestId("create-name").fill("Strategic");
        page.getByTestId("create-applies-to").fill("account.tier == \"Strategic\"");
        page.getByTestId("template-blank").check();
        page.getByTestId("create").click();
        assertThat(page).hasURL(Pattern.compile("/scorecards/Strategic$"));
        assertThat(page.getByTestId("created")).containsText("Created scorecard Strategic from the skeleton.");
        page.waitForLoadState(LoadState.LOAD);

        // The code editor: line numbers, YAML colours, and the document valid as the template made it.
        Locator editor = page.getByTestId("code-editor");
        assertThat(editor).isVisible();
        assertThat(page.getByTestId("yaml-editor")).isHidden();
        assertThat(editor.locator(".CodeMirror-linenumber").first()).hasText("1");
        assertThat(editor.locator(".cm-atom").first()).isVisible();
        assertThat(page.getByTestId("valid")).isVisible();
        assertThat(editor.locator(".CodeMirror-lint-marker-error")).hasCount(0);

        // A letter typed into the measure's weight: marked at that line, the reason on hover, and listed.
        Locator weightLines = editor.locator(".CodeMirror-line")
                .filter(new Locator.FilterOptions().setHasText(Pattern.compile("^\\s+weight: 100$")));
        assertThat(weightLines).hasCount(2);
        weightLines.nth(1).click();
        page.keyboard().press("End");
        page.keyboard().type("x");
        Locator problem = page.getByTestId("problem");
        assertThat(problem).hasCount(1);
        String line = problem.getAttribute("data-line");
        assertThat(problem).containsText("Line " + line + ", column");
        assertThat(problem).containsText("100x");
        Locator marked = editor.locator(".CodeMirror-code > div")
                .filter(new Locator.FilterOptions().setHas(page.locator(".CodeMirror-lint-marker-error")));
        assertThat(marked).hasCount(1);
        assertThat(marked.locator(".CodeMirror-linenumber")).hasText(line);
        assertThat(marked.locator(".CodeMirror-line")).hasText(Pattern.compile("weight: 100x$"));
        marked.locator(".CodeMirror-lint-marker-error").hover();
        assertThat(page.locator(".CodeMirror-lint-tooltip")).containsText(problem.getAttribute("data-reason"));
        page.screenshot(
                new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("scorecard-editor-error.png")));

        // Saved anyway: a warning that names how many problems, not a success.
        page.getByTestId("save-draft").click();
        Locator saved = page.getByTestId("saved");
        assertThat(saved).containsText("Saved version 2 as a draft, but it has 1 problem");
        assertThat(saved).hasClass(Pattern.compile("alert-warning"));
        assertThat(page.getByTestId("publish")).isDisabled();
        page.waitForLoadState(LoadState.LOAD);
        assertThat(editor.locator(".CodeMirror-lint-marker-error")).hasCount(1);

        // Fixed: the mark goes, the document is valid again.
        editor.locator(".CodeMirror-line")
                .filter(new Locator.FilterOptions().setHasText(Pattern.compile("weight: 100x$")))
                .click();
        page.keyboard().press("End");
        page.keyboard().press("Backspace");
        assertThat(page.getByTestId("valid")).isVisible();
        assertThat(editor.locator(".CodeMirror-lint-marker-error")).hasCount(0);

        // The form view changes the red threshold in the YAML, leaving the rest as written.
        page.getByTestId("form-tab").click();
        Locator red = page.locator("[data-field='thresholds.red']");
        assertThat(red).hasValue("40");
        assertThat(page.getByTestId("form-measure")).hasCount(1);
        red.fill("35");
        red.press("Tab");
        assertThat(page.getByTestId("yaml-editor")).hasValue(Pattern.compile("red: 35"));
        page.screenshot(
                new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("scorecard-editor-form.png")));
        page.getByTestId("yaml-tab").click();
        assertThat(editor).containsText("red: 35");
        assertThat(page.getByTestId("valid")).isVisible();

        page.getByTestId("save-draft").click();
        assertThat(page.getByTestId("saved")).hasText("Saved version 3 as a draft.");
        assertThat(page.getByTestId("saved")).hasClass(Pattern.compile("alert-success"));

        // Publishing asks first, with what the preview says publishing would change. The question is the page
        // script's, bound with the code editor: wait for the editor of the page the save redirected to.
        assertThat(page.getByTestId("code-editor")).isVisible();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Publish version 3"))
                .click();
        Locator dialog = page.getByTestId("publish-confirm");
        assertThat(dialog).isVisible();
        assertThat(dialog.getByTestId("confirmation-changed")).hasText("2");
        assertThat(dialog.getByTestId("confirmation-color")).hasCount(4);
        Locator confirm = dialog.getByTestId("confirm-publish");
        assertThat(confirm).isEnabled();
        page.screenshot(
                new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("scorecard-publish-confirm.png")));
        confirm.click();
        assertThat(page.getByTestId("published")).containsText("Published version 3");
        assertThat(page.getByTestId("version-row").first()).hasAttribute("data-status", "published");

        // A draft nobody wants is deleted, after saying so; the published version cannot be.
        page.waitForLoadState(LoadState.LOAD);
        editor.locator(".CodeMirror-line")
                .filter(new Locator.FilterOptions().setHasText(Pattern.compile("red: 35")))
                .click();
        page.keyboard().press("End");
        page.keyboard().type(" # to try later");
        page.getByTestId("save-draft").click();
        assertThat(page.getByTestId("saved")).hasText("Saved version 4 as a draft.");
        page.onceDialog(question -> {
            if (question.message().startsWith("Delete draft version 4?")) {
                question.accept();
            } else {
                question.dismiss();
            }
        });
        page.getByTestId("delete-draft").click();
        assertThat(page.getByTestId("deleted")).hasText("Deleted draft version 4.");
        assertThat(page.getByTestId("version-row")).hasCount(3);
        assertThat(page.getByTestId("delete-draft")).hasCount(0);
        page.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("scorecard-editor.png")));
    }

    @Test
    void theFormViewAddsAThresholdTheDocumentLeavesOut() throws Exception {
        Files.createDirectories(Chromium.SCREENSHOTS);
        Page page = browsers.signedIn(port, "/scorecards", 1280, 900);
        page.getByTestId("new-scorecard").click();
        page.getByTestId("create-name").fill("Lean Form");
        page.getByTestId("create-applies-to").fill("account.tier == \"Lean Form\"");
        page.getByTestId("template-blank").check();
        page.getByTestId("create").click();
        assertThat(page).hasURL(Pattern.compile("/scorecards/Lean%20Form$"));
        page.waitForLoadState(LoadState.LOAD);
        assertThat(page.getByTestId("code-editor")).isVisible();

        // The document without its thresholds: the defaults apply, and the form offers them as empty fields.
        String skeleton = page.getByTestId("yaml-editor").inputValue();
        String withoutThresholds = skeleton.replaceAll("(?m)^thresholds:.*\\n(?:^[ ]+(?:red|yellow):.*\\n)*", "");
        org.assertj.core.api.Assertions.assertThat(withoutThresholds)
                .isNotEqualTo(skeleton)
                .doesNotContain("thresholds");
        CodeEditors.replaceText(page, withoutThresholds);
        page.getByTestId("form-tab").click();
        Locator red = page.locator("[data-field='thresholds.red']");
        assertThat(red).hasValue("");
        assertThat(red).hasAttribute("placeholder", "not set: Red up to 40");
        red.fill("35");
        red.press("Tab");
        assertThat(page.getByTestId("yaml-editor"))
                .hasValue(Pattern.compile("\\nthresholds:\\n  red: 35\\n  yellow: 70\\n"));
        // Shown again from the changed YAML: both thresholds are numbers to change like any other.
        assertThat(page.locator("[data-field='thresholds.yellow']")).hasValue("70");
        assertThat(page.locator("[data-field='thresholds.red']")).hasValue("35");
        assertThat(page.locator("[data-field='thresholds.red']"))
                .not()
                .hasAttribute("placeholder", "not set: Red up to 40");
        page.screenshot(
                new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("scorecard-editor-form-added.png")));

        page.getByTestId("save-draft").click();
        assertThat(page.getByTestId("saved")).containsText("Saved version 2 as a draft");
        page.waitForLoadState(LoadState.LOAD);
        assertThat(page.getByTestId("code-editor")).containsText("red: 35");
        assertThat(page.getByTestId("yaml-editor")).hasValue(Pattern.compile("\\nthresholds:\\n  red: 35\\n"));
    }

    private static AccountInput strategic(String name) {
        return new AccountInput(name, name, null, null, "Strategic", null, null, null, null, null, null, null, null);
    }
}
