package dev.steward.ingest.freshdesk;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
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
 * An administrator connects Freshdesk from the data sources page against a local server answering with Freshdesk's
 * documented shapes (WireMock): a key Freshdesk refuses is explained in Freshdesk's words and nothing is kept; a good
 * one names whose it is, the first pull runs at once and the panel shows each feed's latest pull with its counts and
 * the rejected ticket; Pull now asks again from the watermark; the ticket shows on its company's account's timeline.
 * Writes screenshots to {@code target/screenshots}.
 */
@BrowserTest
@TestPropertySource(properties = {"steward.freshdesk.share-of-plan=1", "steward.freshdesk.backoff=50ms"})
class ConnectFreshdeskBrowserTests {

    private static final String KEY = "rocketkey0123456789";

    private static final String BASIC =
            "Basic " + Base64.getEncoder().encodeToString((KEY + ":X").getBytes(StandardCharsets.UTF_8));

    static WireMockServer freshdesk;

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @Autowired
    AccountManagement accounts;

    @BeforeAll
    static void startFreshdesk() {
        freshdesk = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        freshdesk.start();
        freshdesk.stubFor(get(urlPathEqualTo("/api/v2/agents/me")).willReturn(json(401, """
                        {"code": "invalid_credentials", "message": "You have to be logged in to perform this action."}""")));
        freshdesk.stubFor(get(urlPathEqualTo("/api/v2/agents/me"))
                .withHeader("Authorization", equalTo(BASIC))
                .willReturn(json(200, """
                        {"id": 19000000002, "type": "support_agent", "available": true,
                         "contact": {"name": "Rita Ops", "email": "ops@rocket.example", "active": true}}""")));
        freshdesk.stubFor(list("/api/v2/companies").willReturn(json(200, """
                        [{"id": 501, "name": "Rocket Works", "domains": ["rocketworks.example"], "custom_fields": {},
                          "created_at": "2025-01-01T10:00:00Z", "updated_at": "2026-03-01T10:00:00Z"}]""")));
        freshdesk.stubFor(list("/api/v2/contacts").willReturn(json(200, """
                        [{"id": 601, "name": "Lena Launch", "email": "lena@rocketworks.example", "company_id": 501,
                          "created_at": "2025-01-01T10:00:00Z", "updated_at": "2026-03-01T10:00:00Z"}]""")));
        freshdesk.stubFor(list("/api/v2/tickets")
                .withQueryParam("updated_since", equalTo("1970-01-01T00:00:00Z"))
                .willReturn(json(200, """
                        [{"id": 8101, "subject": "Launch pad telemetry missing", "status": 2, "priority": 3,
                          "company_id": 501, "requester_id": 601, "is_escalated": false, "fr_escalated": false,
                          "tags": [], "created_at": "2026-03-10T09:00:00Z", "updated_at": "2026-03-10T09:30:00Z",
                          "stats": {"first_responded_at": "2026-03-10T09:12:00Z"}},
                         {"id": 8102, "subject": "Broken", "status": 0, "priority": 2, "company_id": 501,
                          "created_at": "2026-03-10T09:00:00Z", "updated_at": "2026-03-10T09:30:00Z"}]""")));
        freshdesk.stubFor(list("/api/v2/tickets")
                .withQueryParam("updated_since", equalTo("2026-03-10T09:30:00Z"))
                .willReturn(json(200, "[]")));
        freshdesk.stubFor(list("/api/v2/surveys/satisfaction_ratings").willReturn(json(200, "[]")));
    }

    @DynamicPropertySource
    static void freshdeskApi(DynamicPropertyRegistry registry) {
        registry.add("steward.freshdesk.api-url", () -> "http://127.0.0.1:" + freshdesk.port());
    }

    @AfterAll
    static void stopFreshdesk() {
        freshdesk.stop();
    }

    @Test
    void connectFreshdeskFromThePagePullAndSeeTheTicketOnTheAccount() throws Exception {
        Files.createDirectories(Chromium.SCREENSHOTS);
        Page page = browsers.signedIn(port, "/sources", new Browser.NewContextOptions().setViewportSize(1280, 1000));
        page.getByTestId("connect-freshdesk").getByLabel("Freshdesk source").fill("freshdesk-rocket");
        page.getByTestId("connect-freshdesk").getByLabel("Helpdesk address").fill("rocket.freshdesk.com");
        page.getByTestId("connect-freshdesk").getByLabel("Plan").selectOption("pro");
        key(page).fill("wrongkey");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Connect Freshdesk"))
                .click();
        assertThat(page.getByTestId("freshdesk-error"))
                .hasText("The API key: Freshdesk refused: You have to be logged in to perform this action.");
        assertThat(key(page)).hasValue("");
        assertThat(page.getByTestId("connect-freshdesk").getByLabel("Helpdesk address"))
                .hasValue("rocket.freshdesk.com");
        assertThat(page.getByTestId("connect-freshdesk").getByLabel("Plan")).hasValue("pro");
        assertThat(page.locator("table")).not().containsText("freshdesk-rocket");

        key(page).fill(KEY);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Connect Freshdesk"))
                .click();
        assertThat(page).hasURL(Pattern.compile("/sources/freshdesk-rocket$"));
        assertThat(page.getByTestId("freshdesk-signed-in-as")).hasText("Rita Ops <ops@rocket.example>");
        assertThat(page.getByTestId("freshdesk-host")).hasText("rocket.freshdesk.com");
        assertThat(page.getByTestId("freshdesk-plan")).hasText("Pro plan");
        assertThat(page.getByTestId("freshdesk-panel")).not().containsText(KEY);

        // Connecting started the first pull; the panel reloads itself until it is done.
        LocatorAssertions.ContainsTextOptions wait = new LocatorAssertions.ContainsTextOptions().setTimeout(30_000);
        assertThat(page.getByTestId("freshdesk-exports")
                        .locator("tr[data-export=satisfaction_ratings][data-state=succeeded]"))
                .containsText("satisfaction ratings", wait);
        assertThat(page.getByTestId("freshdesk-exports").locator("tr[data-export=tickets]"))
                .containsText("2 read, 1 created, 1 rejected");
        assertThat(page.getByTestId("freshdesk-exports").locator("tr[data-export=companies]"))
                .containsText("1 read, 1 created");
        assertThat(page.getByTestId("freshdesk-errors"))
                .containsText("ticket 8102, status '0': is not a Freshdesk status");
        // The Received card was drawn before the pull (only the panel reloads itself): drawn again, it counts the
        // company, the contact and the ticket stored, and the ticket rejected.
        page.reload();
        assertThat(page.getByTestId("accepted")).hasText("3");
        assertThat(page.getByTestId("rejected")).hasText("1");
        assertThat(page.getByTestId("rejections")).containsText("is not a Freshdesk status");
        assertThat(page.getByTestId("freshdesk-exports").locator("tr[data-export=tickets]"))
                .containsText("2 read, 1 created, 1 rejected");
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(Chromium.SCREENSHOTS.resolve("freshdesk-source.png"))
                .setFullPage(true));

        page.getByTestId("freshdesk-pull-now").click();
        assertThat(page.getByTestId("freshdesk-exports").locator("tr[data-export=tickets][data-state=succeeded]"))
                .containsText("(by hand)", wait);
        assertThat(page.getByTestId("freshdesk-exports").locator("tr[data-export=tickets]"))
                .containsText("0 read");
        freshdesk.verify(getRequestedFor(urlPathEqualTo("/api/v2/tickets"))
                .withQueryParam("updated_since", equalTo("2026-03-10T09:30:00Z")));

        page.getByLabel("Pull every (minutes)").fill("90");
        page.getByLabel("Paused").check();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save schedule"))
                .click();
        assertThat(page.getByTestId("freshdesk-next"))
                .hasText("Paused: pulls only when started here; each resumes" + " where the last stopped.");
        assertThat(page.getByLabel("Pull every (minutes)")).hasValue("90");

        AccountId rocket = accounts.resolve("freshdesk-rocket", List.of("501")).get("501");
        page.navigate("http://localhost:" + port + "/accounts/" + rocket.value());
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Rocket Works")))
                .isVisible();
        assertThat(page.getByTestId("timeline")).containsText("Launch pad telemetry missing");
        assertThat(page.getByTestId("timeline")).containsText("high priority, open");
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(Chromium.SCREENSHOTS.resolve("freshdesk-ticket-on-timeline.png"))
                .setFullPage(true));
    }

    /** Freshdesk's key field, in its own card (Amplitude's card also has an "API key", Zendesk's an "API token"). */
    private static com.microsoft.playwright.Locator key(Page page) {
        return page.getByTestId("connect-freshdesk")
                .getByLabel("API key", new com.microsoft.playwright.Locator.GetByLabelOptions().setExact(true));
    }

    private static MappingBuilder list(String path) {
        return get(urlPathEqualTo(path)).withHeader("Authorization", equalTo(BASIC));
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }
}
