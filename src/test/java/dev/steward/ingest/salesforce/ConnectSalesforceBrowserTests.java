package dev.steward.ingest.salesforce;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.steward.core.BrowserTest;
import dev.steward.core.Browsers;
import dev.steward.core.Chromium;
import java.nio.file.Files;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * An administrator connects a Salesforce org from the data sources page with the JWT bearer flow, against a local
 * server answering with Salesforce's documented shapes (WireMock): a JWT Salesforce refuses is explained in its words
 * and nothing is kept; a good one names the org, the first pull runs at once, and the panel shows the org's daily API
 * allowance and each feed's latest pull with its counts. Writes a screenshot to {@code target/screenshots}.
 */
@BrowserTest
@TestPropertySource(properties = {"steward.salesforce.backoff=50ms"})
class ConnectSalesforceBrowserTests {

    static WireMockServer salesforce;

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @BeforeAll
    static void startSalesforce() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        SalesforcePullApiTests.keys = generator.generateKeyPair();
        salesforce = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        salesforce.start();
        String org = "http://127.0.0.1:" + salesforce.port() + "/rocket-org";
        salesforce.stubFor(post(urlPathEqualTo("/rocket/services/oauth2/token"))
                .inScenario("consent")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(400, """
                        {"error": "invalid_grant", "error_description": "user hasn't approved this consumer"}"""))
                .willSetStateTo("approved"));
        salesforce.stubFor(post(urlPathEqualTo("/rocket/services/oauth2/token"))
                .inScenario("consent")
                .whenScenarioStateIs("approved")
                .willReturn(json(200, """
                        {"access_token": "00Drocket!AQ4AQ", "instance_url": "%s",
                         "id": "https://login.salesforce.com/id/00D5g000007RockEAC/0055g00000AbcdeAAA",
                         "token_type": "Bearer", "scope": "api", "issued_at": "1773828930000", "signature": "x"}""".formatted(org))));
        salesforce.stubFor(get(urlPathEqualTo("/rocket-org/services/data/v62.0/limits"))
                .willReturn(json(200, """
                        {"DailyApiRequests": {"Max": 15000, "Remaining": 14000}}""").withHeader("Sforce-Limit-Info", "api-usage=1000/15000")));
        // Before the first pull of each object, its count: too few for a Bulk API 2.0 job.
        salesforce.stubFor(get(urlPathEqualTo("/rocket-org/services/data/v62.0/limits/recordCount"))
                .willReturn(json(200, """
                        {"sObjects": [{"count": 2, "name": "Account"}]}""")));
        salesforce.stubFor(get(urlPathEqualTo("/rocket-org/services/data/v62.0/query"))
                .withHeader("Authorization", equalTo("Bearer 00Drocket!AQ4AQ"))
                .withQueryParam("q", com.github.tomakehurst.wiremock.client.WireMock.containing("FROM Account"))
                .willReturn(json(200, """
                        {"totalSize": 2, "done": true, "records": [
                          {"attributes": {"type": "Account"}, "Id": "001000000000801AAA", "Name": "Rocket Works",
                           "Website": "rocketworks.example", "ParentId": null,
                           "CreatedDate": "2025-01-01T10:00:00.000+0000", "SystemModstamp": "2026-03-01T10:00:00.000+0000"},
                          {"attributes": {"type": "Account"}, "Id": "001000000000802AAA", "Name": "Broken",
                           "ParentId": "Rocket Works", "SystemModstamp": "2026-03-01T11:00:00.000+0000"}]}""").withHeader("Sforce-Limit-Info", "api-usage=1200/15000")));
        salesforce.stubFor(get(urlPathEqualTo("/rocket-org/services/data/v62.0/query"))
                .atPriority(9)
                .willReturn(json(200, """
                        {"totalSize": 0, "done": true, "records": []}""").withHeader("Sforce-Limit-Info", "api-usage=1202/15000")));
    }

    @AfterAll
    static void stopSalesforce() {
        salesforce.stop();
    }

    @Test
    void connectSalesforceFromThePageAndSeeTheAllowanceAndTheRuns() throws Exception {
        Files.createDirectories(Chromium.SCREENSHOTS);
        Page page = browsers.signedIn(port, "/sources", new Browser.NewContextOptions().setViewportSize(1280, 1100));
        Locator card = page.getByTestId("connect-salesforce");
        card.getByLabel("Salesforce source").fill("salesforce-rocket");
        card.getByLabel("Login URL").fill("http://127.0.0.1:" + salesforce.port() + "/rocket");
        card.getByLabel("Consumer key").fill("3MVG9rocket");
        card.getByLabel("User to act as (JWT)").fill("ops@rocket.example");
        card.getByLabel("Private key, PEM (JWT)").fill(SalesforcePullApiTests.pem());
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Connect Salesforce"))
                .click();
        assertThat(page.getByTestId("salesforce-error"))
                .hasText("The private key: Salesforce refused: user hasn't approved this consumer (invalid_grant)");
        assertThat(page.getByTestId("connect-salesforce").getByLabel("Private key, PEM (JWT)"))
                .hasValue("");
        assertThat(page.getByTestId("connect-salesforce").getByLabel("Consumer key"))
                .hasValue("3MVG9rocket");

        page.getByTestId("connect-salesforce")
                .getByLabel("Private key, PEM (JWT)")
                .fill(SalesforcePullApiTests.pem());
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Connect Salesforce"))
                .click();
        assertThat(page).hasURL(Pattern.compile("/sources/salesforce-rocket$"));
        assertThat(page.getByTestId("salesforce-org")).hasText("00D5g000007RockEAC");

        LocatorAssertions.ContainsTextOptions wait = new LocatorAssertions.ContainsTextOptions().setTimeout(30_000);
        Locator runs = page.getByTestId("salesforce-exports");
        assertThat(runs.locator("tr[data-export=opportunities][data-state=succeeded]"))
                .containsText("opportunities", wait);
        assertThat(runs.locator("tr[data-export=accounts]")).containsText("2 read, 1 created, 1 rejected");
        assertThat(page.getByTestId("salesforce-allowance")).containsText("1,202 of 15,000");
        assertThat(page.getByTestId("salesforce-panel")).not().containsText("PRIVATE KEY");
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(Chromium.SCREENSHOTS.resolve("salesforce-source.png"))
                .setFullPage(true));
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }
}
