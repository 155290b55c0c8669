package dev.steward.ingest.pendo;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.steward.core.BrowserTest;
import dev.steward.core.Browsers;
import dev.steward.core.Chromium;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.ObjectMapper;

/**
 * An administrator connects Pendo from the data sources page against a local server answering with Pendo's documented
 * shapes (WireMock): a key Pendo refuses is explained and nothing is kept; a good one starts the back-fill at once;
 * the mapping form lists Pendo's features and pages, two features are mapped to key feature metrics, Pull now reads
 * them, and the account's page shows them as key features in use and its active visitors in the usage chart. Writes
 * screenshots to {@code target/screenshots}.
 */
@BrowserTest
@TestPropertySource(properties = {"steward.pendo.calls-per-minute=60000", "steward.pendo.backoff=50ms"})
class ConnectPendoBrowserTests {

    private static final String KEY = "2c9e5d1f-rocket-pendo.us";

    static WireMockServer pendo;

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @Autowired
    AccountManagement accounts;

    @Autowired
    ObjectMapper json;

    @BeforeAll
    static void startPendo() {
        pendo = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        pendo.start();
        pendo.stubFor(get(urlPathEqualTo("/api/v1/metadata/schema/account"))
                .willReturn(aResponse().withStatus(401).withBody("invalid integration key")));
        pendo.stubFor(get(urlPathEqualTo("/api/v1/metadata/schema/account"))
                .withHeader(PendoApi.HEADER, equalTo(KEY))
                .willReturn(json("""
                        {"auto": {"id": {"Type": "string", "DisplayName": "Account ID"}},
                         "agent": {"plan": {"Type": "string", "DisplayName": "plan"}}}""")));
        pendo.stubFor(get(urlPathEqualTo("/api/v1/feature")).willReturn(json("""
                        [{"id": "f-reports", "name": "Reports feature", "kind": "Feature"},
                         {"id": "f-dash", "name": "Dashboards feature", "kind": "Feature"},
                         {"id": "f-help", "name": "Help button", "kind": "Feature"}]""")));
        pendo.stubFor(get(urlPathEqualTo("/api/v1/page")).willReturn(json("""
                        [{"id": "p-home", "name": "Home page", "kind": "Page"}]""")));
        pendo.stubFor(get(urlPathEqualTo("/api/v1/tracktype")).willReturn(json("[]")));
        pendo.stubFor(post(urlPathEqualTo("/api/v1/aggregation")).atPriority(10).willReturn(json("{\"results\": []}")));
        long day = LocalDate.parse("2026-03-16")
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant()
                .toEpochMilli();
        pendo.stubFor(aggregation("events", day).willReturn(json("""
                        {"results": [
                          {"accountId": "rocket", "visitorId": "lena", "day": %1$d, "numEvents": 31, "numMinutes": 42},
                          {"accountId": "rocket", "visitorId": "omar", "day": %1$d, "numEvents": 12, "numMinutes": 9},
                          {"accountId": "rocket", "visitorId": "ivy", "day": %1$d, "numEvents": 2, "numMinutes": 1}]}""".formatted(day))));
        pendo.stubFor(aggregation("featureEvents", day).willReturn(json("""
                        {"results": [
                          {"accountId": "rocket", "visitorId": "lena", "featureId": "f-reports", "day": %1$d,
                           "numEvents": 6, "numMinutes": 3},
                          {"accountId": "rocket", "visitorId": "omar", "featureId": "f-dash", "day": %1$d,
                           "numEvents": 4, "numMinutes": 2},
                          {"accountId": "rocket", "visitorId": "omar", "featureId": "f-help", "day": %1$d,
                           "numEvents": 1, "numMinutes": 0}]}""".formatted(day))));
    }

    @DynamicPropertySource
    static void pendoApi(DynamicPropertyRegistry registry) {
        registry.add("steward.pendo.api-url", () -> "http://127.0.0.1:" + pendo.port());
    }

    @AfterAll
    static void stopPendo() {
        pendo.stop();
    }

    @Test
    void connectPendoMapTwoFeaturesAndSeeTheUsageOnTheAccount() throws Exception {
        accounts.upsert("crm-rocket", json.readTree("""
                        {"records": [{"externalId": "rocket", "name": "Rocket Analytics"}]}"""), true);
        Files.createDirectories(Chromium.SCREENSHOTS);
        Page page = browsers.signedIn(port, "/sources", new Browser.NewContextOptions().setViewportSize(1280, 1000));
        page.getByLabel("Pendo source").fill("pendo-rocket");
        page.getByLabel("Data environment").selectOption("eu");
        page.locator("#pendo-accounts-source").fill("crm-rocket");
        page.locator("#pendo-backfill").fill("1");
        page.getByLabel("Integration key").fill("not-the-key");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Connect Pendo"))
                .click();
        assertThat(page.getByTestId("pendo-error")).hasText("The integration key: Pendo refused: Pendo answered 401");
        assertThat(page.getByLabel("Integration key")).hasValue("");
        assertThat(page.getByLabel("Data environment")).hasValue("eu");
        assertThat(page.locator("#pendo-accounts-source")).hasValue("crm-rocket");
        assertThat(page.locator("table")).not().containsText("pendo-rocket");

        page.getByLabel("Integration key").fill(KEY);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Connect Pendo"))
                .click();
        assertThat(page).hasURL(Pattern.compile("/sources/pendo-rocket$"));
        assertThat(page.getByTestId("pendo-host")).hasText("app.eu.pendo.io");
        assertThat(page.getByTestId("pendo-accounts-source")).hasText("crm-rocket");
        assertThat(page.getByTestId("pendo-panel")).not().containsText(KEY);

        // Connecting started the back-fill: activity is read; nothing is mapped yet.
        LocatorAssertions.ContainsTextOptions wait = new LocatorAssertions.ContainsTextOptions().setTimeout(30_000);
        assertThat(page.getByTestId("pendo-exports").locator("tr[data-export=track_events][data-state=succeeded]"))
                .containsText("track events", wait);
        assertThat(page.getByTestId("pendo-exports").locator("tr[data-export=activity]"))
                .containsText("3 read, 2 created");

        page.getByLabel("Reports feature").fill("feature.reports");
        page.getByLabel("Dashboards feature").fill("feature.dashboards");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save mapping"))
                .click();
        assertThat(page.getByTestId("pendo-mapping-saved")).isVisible();
        assertThat(page.getByLabel("Reports feature")).hasValue("feature.reports");
        assertThat(page.getByLabel("Help button")).hasValue("");

        page.getByTestId("pendo-pull-now").click();
        assertThat(page.getByTestId("pendo-exports").locator("tr[data-export=features][data-state=succeeded]"))
                .containsText("(by hand)", wait);
        assertThat(page.getByTestId("pendo-exports").locator("tr[data-export=features]"))
                .containsText("3 read, 2 created, 1 skipped");
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(Chromium.SCREENSHOTS.resolve("pendo-source.png"))
                .setFullPage(true));

        AccountId rocket = accounts.resolve("crm-rocket", List.of("rocket")).get("rocket");
        page.navigate("http://localhost:" + port + "/accounts/" + rocket.value());
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Rocket Analytics")))
                .isVisible();
        assertThat(page.locator("#usage .badge", new Page.LocatorOptions().setHasText("reports")))
                .hasClass(Pattern.compile("text-bg-success"));
        assertThat(page.locator("#usage .badge", new Page.LocatorOptions().setHasText("dashboards")))
                .hasClass(Pattern.compile("text-bg-success"));
        assertThat(page.locator("#usage .badge", new Page.LocatorOptions().setHasText("integrations")))
                .not()
                .hasClass(Pattern.compile("text-bg-success"));
        // The week of 16 March peaks at the day's three active visitors.
        assertThat(page.getByTestId("usage-chart")).hasAttribute("data-active", Pattern.compile(",3(\\.0)?$"));
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(Chromium.SCREENSHOTS.resolve("pendo-usage-on-account.png"))
                .setFullPage(true));
    }

    private static com.github.tomakehurst.wiremock.client.MappingBuilder aggregation(String eventSource, long first) {
        return post(urlPathEqualTo("/api/v1/aggregation"))
                .withHeader(PendoApi.HEADER, equalTo(KEY))
                .withRequestBody(containing("\"" + eventSource + "\":null"))
                .withRequestBody(matchingJsonPath(
                        "$.request.pipeline[0].source.timeSeries.first", equalTo(String.valueOf(first))));
    }

    private static ResponseDefinitionBuilder json(String body) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }
}
