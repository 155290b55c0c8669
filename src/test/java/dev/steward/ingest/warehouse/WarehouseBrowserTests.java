package dev.steward.ingest.warehouse;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.steward.core.BrowserTest;
import dev.steward.core.Browsers;
import dev.steward.core.Chromium;
import dev.steward.customer.AccountManagement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

/**
 * An administrator connects a DuckDB file from the data sources page (a path that is not there is refused, in
 * DuckDB's words, and nothing is kept), writes a feed's query, checks it — the columns, the mapping suggested and
 * chosen, the sample rows and the one that would be rejected — saves it, pulls, reads the pull in the history with the
 * rejected row, and finds the usage on the account's page. Writes screenshots to {@code target/screenshots}.
 */
@BrowserTest
class WarehouseBrowserTests {

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @TempDir
    static Path directory;

    @LocalServerPort
    int port;

    @Autowired
    AccountManagement accounts;

    @Test
    void connectADuckDbFileWriteAFeedCheckItPullAndFindTheUsage() throws Exception {
        Path file = directory.resolve("product.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file);
                Statement s = c.createStatement()) {
            s.execute("""
                    create table daily_usage as select * from (values
                      ('DK-1', date '2026-03-09', 'logins', 30, timestamp '2026-03-10 02:00:00'),
                      ('DK-1', date '2026-03-10', 'logins', 41, timestamp '2026-03-11 02:00:00'),
                      ('DK-2', date '2026-03-10', 'logins', 5, timestamp '2026-03-11 02:00:00'),
                      ('DK-9', date '2026-03-10', 'logins', 2, timestamp '2026-03-11 02:00:00'))
                      as t(customer_key, usage_day, metric, amount, loaded_at)""");
        }
        var account = accounts.upsert("crm", JsonMapper.builder().build().readTree("""
                                {"records": [{"externalId": "DK-1", "name": "Dockside Analytics"},
                                             {"externalId": "DK-2", "name": "Dune Kites"}]}"""), false);
        String dockside = account.results().get(0).id().toString();

        Files.createDirectories(Chromium.SCREENSHOTS);
        Page page = browsers.signedIn(port, "/sources", new Browser.NewContextOptions().setViewportSize(1280, 1000));
        page.getByLabel("Warehouse source").fill("product-dwh");
        page.getByLabel("JDBC URL").fill("jdbc:duckdb:" + directory.resolve("missing/product.duckdb"));
        page.getByRole(
                        AriaRole.BUTTON,
                        new Page.GetByRoleOptions().setName("Connect").setExact(true))
                .click();
        assertThat(page.getByTestId("warehouse-error")).containsText("The JDBC URL: cannot connect: ");
        assertThat(page.locator("table")).not().containsText("product-dwh");

        page.getByLabel("JDBC URL").fill("jdbc:duckdb:" + file);
        page.getByRole(
                        AriaRole.BUTTON,
                        new Page.GetByRoleOptions().setName("Connect").setExact(true))
                .click();
        assertThat(page).hasURL(Pattern.compile("/sources/product-dwh$"));
        assertThat(page.getByTestId("warehouse-url")).hasText("jdbc:duckdb:" + file);
        assertThat(page.getByTestId("pull-now")).isDisabled();

        page.getByLabel("Feed name").fill("daily-usage");
        page.getByLabel("Account keys are those of source").fill("crm");
        page.getByLabel("Watermark column (optional)").fill("loaded_at");
        page.getByLabel(Pattern.compile("^Query")).fill("""
                select customer_key, usage_day, metric, amount, loaded_at
                from daily_usage order by loaded_at, customer_key""");
        page.getByTestId("check-feed").click();
        assertThat(page.getByTestId("sample-rows")).containsText("DK-9");
        // The suggestion maps the day, the metric and the value by their names; the account key is chosen here.
        assertThat(page.locator("#map-day")).hasValue("usage_day");
        assertThat(page.locator("#map-metric")).hasValue("metric");
        page.locator("#map-accountExternalId").selectOption("customer_key");
        page.locator("#map-value").selectOption("amount");
        page.getByTestId("check-feed").click();
        assertThat(page.getByTestId("sample-summary")).hasText("1 of 4 sample rows would be rejected:");
        assertThat(page.getByTestId("sample-rows").locator("tr.table-danger"))
                .containsText("no account has external id 'DK-9' in source 'crm'");
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(Chromium.SCREENSHOTS.resolve("warehouse-feed-check.png"))
                .setFullPage(true));

        page.getByTestId("save-feed").click();
        assertThat(page.getByTestId("feed-saved")).containsText("Feed daily-usage saved");
        assertThat(page.getByTestId("feed-list")).containsText("loaded_at");

        // The panel learns of the feed when it is loaded again.
        page.reload();
        page.getByTestId("pull-now").click();
        assertThat(page.getByTestId("warehouse-runs").locator("tr[data-state=partial]"))
                .containsText("daily-usage");
        assertThat(page.getByTestId("run-errors")).containsText("row 4");
        assertThat(page.getByTestId("run-errors")).containsText("'DK-9'");
        assertThat(page.getByTestId("warehouse-runs")).containsText("2026-03-11T02:00");
        assertThat(page.getByTestId("run-counts")).hasText("4 read, 3 stored, 1 rejected");
        // What the pull stored and rejected counts as this source's arrivals, as for every source.
        page.reload();
        assertThat(page.getByTestId("accepted")).hasText("3");
        assertThat(page.getByTestId("rejected")).hasText("1");
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(Chromium.SCREENSHOTS.resolve("warehouse-source.png"))
                .setFullPage(true));

        page.navigate("http://localhost:" + port + "/accounts/" + dockside);
        assertThat(page.getByTestId("usage-chart")).hasAttribute("data-logins", Pattern.compile("(^|,)71(\\.0)?(,|$)"));
    }
}
