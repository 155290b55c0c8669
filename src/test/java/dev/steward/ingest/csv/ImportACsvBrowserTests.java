package dev.steward.ingest.csv;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import dev.steward.core.BrowserTest;
import dev.steward.core.Browsers;
import dev.steward.core.Chromium;
import dev.steward.customer.AccountManagement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * An administrator imports a small accounts file with one bad row in a real browser: sees the suggested mapping,
 * the bad row highlighted in the preview, skips a test company by its id, imports, reads the error and the skipped
 * count in the report and downloads the rejected row.
 */
@BrowserTest
class ImportACsvBrowserTests {

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @Autowired
    AccountManagement accounts;

    @AfterEach
    void removeTheImportedAccounts() {
        // Other browser tests share this application's database and expect only their own accounts in it.
        accounts.resolve("browser-crm", List.of("B-1", "B-2", "B-3"))
                .values()
                .forEach(id -> accounts.delete(id, accounts.get(id).version()));
    }

    @Test
    void uploadMapPreviewImportAndReadTheRejectedRow() throws Exception {
        Files.createDirectories(Chromium.SCREENSHOTS);
        Page page = browsers.signedIn(
                port,
                "/",
                new Browser.NewContextOptions().setViewportSize(1280, 900).setAcceptDownloads(true));
        page.getByTestId("nav-data").click();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Import"))
                .click();

        String csv = "\uFEFFCompany ID;Company Name;Employees\r\nB-1;Birch Ltd;\"1.250\"\r\nB-2;Beech plc;many\r\n"
                + "B-3;Cherry AG;40\r\n";
        page.getByLabel("CSV file")
                .setInputFiles(new FilePayload("companies.csv", "text/csv", csv.getBytes(StandardCharsets.UTF_8)));
        page.getByLabel("The file holds").selectOption("accounts");
        page.getByLabel("Source").fill("browser-crm");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Upload"))
                .click();

        assertThat(page.getByTestId("mapping-step")).containsText("UTF-8 with BOM, semicolon-separated");
        assertThat(page.locator("select[data-column='Company ID']")).hasValue("externalId");
        assertThat(page.locator("select[data-column='Company Name']")).hasValue("name");
        assertThat(page.getByTestId("preview-error")).containsText("line 3, column 'Employees'");
        assertThat(page.getByTestId("preview-error")).containsText("'many' is not a number");
        page.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("import-preview.png")));

        // B-3 is a test company: the mapping leaves it out, and the preview says so before anything is imported.
        // Each choice posts the form and redraws it: the next choice waits for the redraw, or it is lost with the old
        // form.
        page.waitForResponse(
                response -> response.url().endsWith("/mapping"),
                () -> page.getByLabel("Rows").selectOption("skip"));
        // The choice is posted by the form's change event; a choice made on a form that was being redrawn is lost with
        // it (seen in CI). Each choice therefore waits for its own answer, and is made again (the change sent again,
        // since choosing the shown value fires nothing) until the form shows it.
        for (int attempt = 1; ; attempt++) {
            boolean again = attempt > 1;
            posted(page, () -> {
                page.locator("#condition-column").selectOption("Company ID");
                if (again) {
                    page.locator("#condition-column").dispatchEvent("change");
                }
            });
            try {
                assertThat(page.locator("textarea[name=yaml]"))
                        .containsText(
                                "column: Company ID",
                                new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions()
                                        .setTimeout(3_000));
                break;
            } catch (AssertionError e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
        for (int attempt = 1; ; attempt++) {
            posted(page, () -> {
                page.locator("#condition-values").fill("B-3");
                page.locator("#condition-values").blur();
            });
            try {
                assertThat(page.getByTestId("mapping-step"))
                        .containsText(
                                "1 skipped by the mapping's condition",
                                new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions()
                                        .setTimeout(3_000));
                break;
            } catch (AssertionError e) {
                if (attempt == 3) {
                    throw e;
                }
                // Typing the same text again fires nothing: clear it first.
                page.locator("#condition-values").fill("");
            }
        }
        assertThat(page.locator("tr[data-skipped='true']")).containsText("Cherry AG");

        page.getByTestId("run-import").click();
        assertThat(page.getByTestId("report-summary")).containsText("Imported 1 of 3 rows");
        assertThat(page.getByTestId("report-summary")).containsText("1 row was skipped (by the mapping's condition)");
        assertThat(page.getByTestId("report-summary")).containsText("1 row was rejected and not written");
        assertThat(page.getByTestId("report-skipped")).hasText("1");
        assertThat(page.getByTestId("report-errors")).containsText("line 3");
        assertThat(page.getByTestId("report-errors")).containsText("'many' is not a number");
        page.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("import-report.png")));

        Download download =
                page.waitForDownload(() -> page.getByTestId("download-rejected").click());
        String rejected = Files.readString(download.path(), StandardCharsets.UTF_8);
        org.assertj.core.api.Assertions.assertThat(rejected)
                .startsWith("Company ID;Company Name;Employees;error\r\n")
                .contains("B-2;Beech plc;many;");
    }

    /**
     * Makes a choice and waits for the mapping form's answer; a choice that posted nothing within five seconds (the
     * form already showed it, or it was lost with a form being redrawn: seen in CI) is left to the caller's check,
     * which makes it again.
     */
    private static void posted(Page page, Runnable choice) {
        try {
            page.waitForResponse(
                    response -> response.url().endsWith("/mapping"),
                    new Page.WaitForResponseOptions().setTimeout(5_000),
                    choice);
        } catch (com.microsoft.playwright.TimeoutError nothingPosted) {
            // checked by the caller
        }
    }
}
