package dev.steward.ingest;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.steward.core.BrowserTest;
import dev.steward.core.Browsers;
import dev.steward.core.Chromium;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * An administrator connects a Segment source in a real browser: creates it and a write key, sees events sent with
 * that key counted in the volume chart, a rejected one explained with an excerpt, and a mapping row refused with its
 * reason before fixing it in the mapping form. Skipped where
 * Debian's Chromium is not installed; writes a screenshot to {@code target/screenshots}.
 */
@BrowserTest
class DataSourcesBrowserTests {

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @Test
    void connectASegmentSourceAndSeeWhatItDelivered() throws Exception {
        Files.createDirectories(Chromium.SCREENSHOTS);
        Page page = browsers.signedIn(port, "/", new Browser.NewContextOptions().setViewportSize(1280, 1000));

        page.getByTestId("nav-data").click();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Data sources"))
                .click();
        assertThat(page).hasURL(Pattern.compile("/sources$"));
        page.getByLabel("Name").fill("web-app");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add source"))
                .click();
        assertThat(page).hasURL(Pattern.compile("/sources/web-app$"));
        assertThat(page.getByTestId("last-received")).hasText("never");

        page.getByLabel("Key name").fill("production");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create write key"))
                .click();
        String key =
                page.getByTestId("new-write-key").locator("code").textContent().trim();

        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/batch"))
                                .header("Authorization", TrackingApiTests.basic(key))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("""
                                        {"batch": [
                                          {"type": "track", "userId": "ada", "event": "Report Created"},
                                          {"type": "track", "userId": "ada", "event": "Report Created"},
                                          {"type": "track", "userId": "bob", "event": "Signed In",
                                           "timestamp": "2015-2-02T00:30:08.276Z"}
                                        ]}"""))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        org.assertj.core.api.Assertions.assertThat(answer.statusCode()).isEqualTo(207);

        page.navigate("http://localhost:" + port + "/sources/web-app");
        assertThat(page.getByTestId("accepted")).hasText("2");
        assertThat(page.getByTestId("rejected")).hasText("1");
        assertThat(page.getByTestId("last-received")).not().hasText("never");
        assertThat(page.getByTestId("rejections")).containsText("2015-2-02T00:30:08.276Z");
        assertThat(page.getByTestId("rejections")).containsText("is not an ISO 8601 date-time");

        // The mapping is a form: rows of (what Segment sends → Steward field), checked row by row.
        Locator rows = page.locator("[data-mapping-row]");
        int defaults = rows.count();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add row"))
                .click();
        Locator event = rows.nth(defaults);
        event.getByLabel("From").selectOption("events");
        event.getByLabel("Name in Segment").fill("Report Created");
        event.getByLabel("Steward field").selectOption("feature.reports");
        event.getByLabel("Key feature").check();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add row"))
                .click();
        Locator trait = rows.nth(defaults + 1);
        trait.getByLabel("From").selectOption("traits");
        trait.getByLabel("Name in Segment").fill("plan_name");
        trait.getByLabel("Steward field").selectOption("feature.reports");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save mapping"))
                .click();
        assertThat(rows.nth(defaults + 1).getByTestId("mapping-problem"))
                .containsText("a group trait fills an account field");
        rows.nth(defaults + 1).getByLabel("Steward field").selectOption("tier");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save mapping"))
                .click();
        assertThat(page.getByTestId("settings-saved")).isVisible();
        assertThat(rows.first().getByLabel("Name in Segment")).hasValue("Report Created");
        assertThat(rows.first().getByLabel("Key feature")).isChecked();
        assertThat(page.getByTestId("volume-chart")).isVisible();
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(Chromium.SCREENSHOTS.resolve("data-source.png"))
                .setFullPage(true));
    }
}
