package dev.steward.ingest.zendesk;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
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

/**
 * An administrator connects Zendesk from the data sources page against a local server answering with Zendesk's
 * documented shapes (WireMock): a token Zendesk refuses is explained in Zendesk's words and nothing is kept; a good
 * one names who it signs in as, the first pull runs at once and the panel shows each export's latest pull with its
 * counts and the rejected ticket; Pull now pulls again from the cursor; the ticket shows on its account's timeline.
 * Writes screenshots to {@code target/screenshots}.
 */
@BrowserTest
@TestPropertySource(
        properties = {
            "steward.zendesk.exports-per-minute=6000",
            "steward.zendesk.calls-per-minute=6000",
            "steward.zendesk.backoff=50ms"
        })
class ConnectZendeskBrowserTests {

    private static final String EMAIL = "ops@rocket.example";
    private static final String TOKEN = "zd-browser-Good-77";

    static WireMockServer zendesk;

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @Autowired
    AccountManagement accounts;

    @BeforeAll
    static void startZendesk() {
        zendesk = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        zendesk.start();
        zendesk.stubFor(get(urlPathEqualTo("/api/v2/users/me.json"))
                .willReturn(json(401, "{\"error\": \"Couldn't authenticate you\"}")));
        zendesk.stubFor(get(urlPathEqualTo("/api/v2/users/me.json"))
                .withHeader(
                        "Authorization",
                        equalTo("Basic "
                                + Base64.getEncoder()
                                        .encodeToString((EMAIL + "/token:" + TOKEN).getBytes(StandardCharsets.UTF_8))))
                .willReturn(json(200, """
                        {"user": {"id": 90001, "name": "Rita Ops", "email": "ops@rocket.example",
                                  "role": "admin", "active": true}}""")));
        zendesk.stubFor(
                get(urlPathEqualTo("/api/v2/incremental/organizations.json")).willReturn(json(200, """
                        {"organizations": [
                           {"id": 4101, "name": "Rocket Works", "external_id": null, "domain_names": [],
                            "created_at": "2025-01-01T10:00:00Z", "updated_at": "2026-03-01T10:00:00Z"}],
                         "next_page": null, "count": 1, "end_time": 1772359200, "end_of_stream": true}""")));
        zendesk.stubFor(
                get(urlPathEqualTo("/api/v2/incremental/users/cursor.json")).willReturn(json(200, """
                        {"users": [], "after_cursor": "dTE=", "end_of_stream": true}""")));
        zendesk.stubFor(get(urlPathEqualTo("/api/v2/incremental/tickets/cursor.json"))
                .withQueryParam("start_time", equalTo("0"))
                .willReturn(json(200, """
                        {"tickets": [
                           {"id": 8101, "subject": "Launch pad telemetry missing", "status": "open",
                            "priority": "urgent", "organization_id": 4101, "tags": [],
                            "created_at": "2026-03-10T09:00:00Z", "updated_at": "2026-03-10T09:30:00Z"},
                           {"id": 8102, "subject": "Broken", "status": "open", "organization_id": 4101,
                            "created_at": "13/03/2026", "updated_at": "2026-03-10T09:30:00Z"}],
                         "metric_sets": [
                           {"ticket_id": 8101, "reply_time_in_minutes": {"calendar": 12, "business": 12}}],
                         "after_cursor": "dDE=", "end_of_stream": true}""")));
        zendesk.stubFor(get(urlPathEqualTo("/api/v2/incremental/tickets/cursor.json"))
                .withQueryParam("cursor", equalTo("dDE="))
                .willReturn(json(200, """
                        {"tickets": [], "metric_sets": [], "after_cursor": "dDE=", "end_of_stream": true}""")));
        zendesk.stubFor(get(urlPathEqualTo("/api/v2/satisfaction_ratings.json")).willReturn(json(200, """
                        {"satisfaction_ratings": [], "meta": {"has_more": false, "after_cursor": null}}""")));
    }

    @DynamicPropertySource
    static void zendeskApi(DynamicPropertyRegistry registry) {
        registry.add("steward.zendesk.api-url", () -> "http://127.0.0.1:" + zendesk.port());
    }

    @AfterAll
    static void stopZendesk() {
        zendesk.stop();
    }

    @Test
    void connectZendeskFromThePagePullAndSeeTheTicketOnTheAccount() throws Exception {
        Files.createDirectories(Chromium.SCREENSHOTS);
        Page page = browsers.signedIn(port, "/sources", new Browser.NewContextOptions().setViewportSize(1280, 1000));
        page.getByLabel("Zendesk source").fill("zendesk-rocket");
        page.getByLabel("Subdomain").fill("rocket");
        page.getByLabel("Administrator's email").fill(EMAIL);
        page.getByLabel("API token").fill("zd-browser-Wrong");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Connect Zendesk"))
                .click();
        assertThat(page.getByTestId("zendesk-error"))
                .hasText("The API token: Zendesk refused: Couldn't authenticate you");
        assertThat(page.getByLabel("API token")).hasValue("");
        assertThat(page.getByLabel("Subdomain")).hasValue("rocket");
        assertThat(page.locator("table")).not().containsText("zendesk-rocket");

        page.getByLabel("API token").fill(TOKEN);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Connect Zendesk"))
                .click();
        assertThat(page).hasURL(Pattern.compile("/sources/zendesk-rocket$"));
        assertThat(page.getByTestId("zendesk-signed-in-as")).hasText("Rita Ops <ops@rocket.example>");
        assertThat(page.getByTestId("zendesk-panel")).not().containsText(TOKEN);

        // Connecting started the first pull; the panel reloads itself until it is done.
        LocatorAssertions.ContainsTextOptions wait = new LocatorAssertions.ContainsTextOptions().setTimeout(30_000);
        assertThat(page.getByTestId("zendesk-exports")
                        .locator("tr[data-export=satisfaction_ratings][data-state=succeeded]"))
                .containsText("satisfaction ratings", wait);
        assertThat(page.getByTestId("zendesk-exports").locator("tr[data-export=tickets]"))
                .containsText("2 read, 1 created, 1 rejected");
        assertThat(page.getByTestId("zendesk-exports").locator("tr[data-export=organizations]"))
                .containsText("1 read, 1 created");
        assertThat(page.getByTestId("zendesk-errors"))
                .containsText("ticket 8102, created_at '13/03/2026': is not a time");
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(Chromium.SCREENSHOTS.resolve("zendesk-source.png"))
                .setFullPage(true));

        // The schedule form every pulled source shares holds Zendesk's own escalation tag.
        page.getByLabel("Escalation tag").fill("vip");
        page.getByLabel("Pull every (minutes)").fill("45");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save schedule"))
                .click();
        assertThat(page.getByTestId("zendesk-panel").locator("p code").last()).hasText("vip");
        assertThat(page.getByLabel("Escalation tag")).hasValue("vip");
        assertThat(page.getByLabel("Pull every (minutes)")).hasValue("45");

        page.getByTestId("zendesk-pull-now").click();
        assertThat(page.getByTestId("zendesk-exports").locator("tr[data-export=tickets][data-state=succeeded]"))
                .containsText("(by hand)", wait);
        assertThat(page.getByTestId("zendesk-exports").locator("tr[data-export=tickets]"))
                .containsText("0 read");
        zendesk.verify(getRequestedFor(urlPathEqualTo("/api/v2/incremental/tickets/cursor.json"))
                .withQueryParam("cursor", equalTo("dDE=")));

        AccountId rocket = accounts.resolve("zendesk-rocket", List.of("4101")).get("4101");
        page.navigate("http://localhost:" + port + "/accounts/" + rocket.value());
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Rocket Works")))
                .isVisible();
        assertThat(page.getByTestId("timeline")).containsText("Launch pad telemetry missing");
        assertThat(page.getByTestId("timeline")).containsText("urgent priority, open, escalated");
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(Chromium.SCREENSHOTS.resolve("zendesk-ticket-on-timeline.png"))
                .setFullPage(true));
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }
}
