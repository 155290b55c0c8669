package dev.steward.ingest.quality;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.steward.core.BrowserTest;
import dev.steward.core.Browsers;
import dev.steward.core.Chromium;
import dev.steward.ingest.Source;
import dev.steward.ingest.Sources;
import java.nio.file.Files;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/** An administrator reads which accounts lack data or have stale data, and which source went quiet. */
@BrowserTest
@Import(DataQualityAccounts.class)
class DataQualityBrowserTests {

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @Autowired
    DataQualityAccounts fixtures;

    @Autowired
    Sources sources;

    @Test
    void readsTheFlagsOfEachAccountAndFiltersToThoseMissingUsage() throws Exception {
        fixtures.load("Browser");
        sources.create("crm-nightly", Source.Kind.api, null, 1);
        Page page =
                browsers.signedIn(port, "/data-quality", new Browser.NewContextOptions().setViewportSize(1280, 900));
        assertThat(page).hasURL(Pattern.compile("/data-quality(\\?continue)?$"));
        // Accounts may have been added since the snapshot was first taken: rebuild it, as a person would.
        page.getByTestId("dq-refresh").click();

        Locator fresh = row(page, "Browser Fresh");
        Locator stale = row(page, "Browser Stale");
        for (String kind : new String[] {"crm", "usage", "support", "billing", "engagement"}) {
            assertThat(cell(fresh, kind)).hasAttribute("data-state", "fresh");
        }
        assertThat(cell(stale, "usage")).hasAttribute("data-state", "stale");
        assertThat(cell(stale, "support")).containsText("stale");
        assertThat(cell(stale, "crm")).hasAttribute("data-state", "missing");
        assertThat(cell(row(page, "Browser Empty"), "billing")).containsText("missing");
        assertThat(page.locator("[data-testid=dq-summary] [data-kind=usage] [data-testid=dq-missing]"))
                .containsText("missing");
        assertThat(page.locator("[data-testid=dq-sources] tr[data-source=crm-nightly]"))
                .hasAttribute("data-quiet", "false");
        Files.createDirectories(Chromium.SCREENSHOTS);
        page.screenshot(new Page.ScreenshotOptions()
                .setFullPage(true)
                .setPath(Chromium.SCREENSHOTS.resolve("data-quality.png")));

        page.getByTestId("dq-filter-kind").selectOption("usage");
        page.getByTestId("dq-filter-state").selectOption("missing");
        page.getByTestId("dq-search").fill("Browser");
        assertThat(page.getByTestId("dq-account-link")).hasText(new String[] {"Browser Empty"});
        assertThat(page).hasURL(Pattern.compile("state=missing"));

        page.getByTestId("dq-account-link").click();
        assertThat(page.getByTestId("account-name")).hasText("Browser Empty");
    }

    private static Locator row(Page page, String account) {
        return page.locator("[data-testid=dq-accounts] tr[data-account='" + account + "']");
    }

    private static Locator cell(Locator row, String kind) {
        return row.locator("td[data-kind=" + kind + "]");
    }
}
