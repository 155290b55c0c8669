package dev.steward.health;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import dev.steward.core.BrowserTest;
import dev.steward.core.Browsers;
import dev.steward.core.Chromium;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AccountManagement;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * An administrator opens an account no scorecard applies to: its page says so and why, the accounts list says "no
 * scorecard", data quality counts it, and the link leads to the Scorecards page's customers without a scorecard.
 */
@BrowserTest
class NoScorecardBrowserTests {

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @Autowired
    AccountManagement accounts;

    @Autowired
    JdbcClient jdbc;

    @Test
    void anAccountNoScorecardAppliesToSaysWhyOnItsPageInTheListAndInDataQuality() throws Exception {
        String id = accounts.upsert(
                        "crm",
                        List.of(new AccountInput(
                                "NS-1",
                                "Platinum Pantry",
                                null,
                                null,
                                "Platinum",
                                "Retail",
                                "EMEA",
                                40,
                                null,
                                null,
                                null,
                                Map.of(),
                                Map.of())),
                        true)
                .results()
                .get(0)
                .id()
                .toString();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> jdbc.sql("select unscored_reason is not null from account where id = ?::uuid")
                        .param(id)
                        .query(Boolean.class)
                        .single());
        Files.createDirectories(Chromium.SCREENSHOTS);

        Page page =
                browsers.signedIn(port, "/accounts/" + id, new Browser.NewContextOptions().setViewportSize(1280, 900));
        assertThat(page.getByTestId("health-no-scorecard")).containsText("No scorecard applies to this account");
        assertThat(page.getByTestId("health-no-scorecard-reason")).containsText("Platinum");
        assertThat(page.getByTestId("health-no-scorecard-published")).containsText("account.tier == \"SMB\"");
        page.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("account-no-scorecard.png")));

        page.navigate("http://localhost:" + port + "/accounts?health=no-scorecard&q=Platinum");
        assertThat(page.getByTestId("account-no-scorecard")).hasText("no scorecard");
        page.screenshot(
                new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("accounts-no-scorecard.png")));

        page.navigate("http://localhost:" + port + "/data-quality");
        assertThat(page.getByTestId("dq-no-scorecard")).containsText("never scored");
        page.screenshot(
                new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("data-quality-no-scorecard.png")));

        page.getByTestId("dq-no-scorecard-fix").click();
        assertThat(page).hasURL(Pattern.compile("/scorecards#unassigned$"));
        assertThat(page.getByTestId("unassigned-count")).not().hasText("0");
    }
}
