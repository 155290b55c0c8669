package dev.steward.ingest.intercom;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
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
 * An administrator connects Intercom from the data sources page against a local server answering with Intercom's
 * documented shapes (WireMock): a token Intercom refuses is explained in Intercom's words and nothing is kept; a good
 * one names whom it acts as, the first pull runs at once and the panel shows each feed's latest pull with its counts
 * and the rejected conversation; Pull now searches again from the watermark; the conversation shows on its company's
 * account's timeline. Writes screenshots to {@code target/screenshots}.
 */
@BrowserTest
@TestPropertySource(properties = {"steward.intercom.calls-per-minute=6000", "steward.intercom.backoff=50ms"})
class ConnectIntercomBrowserTests {

    private static final String TOKEN = "dG9rOnJvY2tldC1nb29k";

    static WireMockServer intercom;

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @Autowired
    AccountManagement accounts;

    @BeforeAll
    static void startIntercom() {
        intercom = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        intercom.start();
        intercom.stubFor(get(urlPathEqualTo("/me")).willReturn(json(401, """
                        {"type": "error.list", "errors": [{"code": "unauthorized",
                         "message": "Access Token Invalid"}]}""")));
        intercom.stubFor(get(urlPathEqualTo("/me"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(json(200, """
                        {"type": "admin", "id": "991267460", "name": "Rita Ops", "email": "ops@rocket.example",
                         "app": {"type": "app", "id_code": "abc123", "name": "Rocket Support", "region": "US"}}""")));
        intercom.stubFor(get(urlPathEqualTo("/companies/scroll"))
                .withQueryParam("scroll_param", absent())
                .willReturn(json(200, """
                        {"type": "list", "data": [
                           {"type": "company", "id": "6762f0971bb69f9f21930001", "company_id": "rw-1",
                            "name": "Rocket Works", "created_at": 1735725600, "updated_at": 1772359200}],
                         "pages": null, "scroll_param": "sp-1"}""")));
        intercom.stubFor(get(urlPathEqualTo("/companies/scroll"))
                .withQueryParam("scroll_param", equalTo("sp-1"))
                .willReturn(json(200, """
                        {"type": "list", "data": [], "pages": null, "scroll_param": "sp-1"}""")));
        intercom.stubFor(get(urlPathEqualTo("/contacts")).willReturn(json(200, """
                        {"type": "list", "data": [
                           {"type": "contact", "id": "6762f0d01bb69f9f21930002", "role": "user",
                            "email": "lena@rocket.example", "name": "Lena Launch",
                            "created_at": 1735725600, "updated_at": 1772359200,
                            "companies": {"type": "list", "data": [{"type": "company",
                               "id": "6762f0971bb69f9f21930001"}], "total_count": 1, "has_more": false}}],
                         "total_count": 1, "pages": {"type": "pages", "page": 1, "per_page": 150, "total_pages": 1}}""")));
        intercom.stubFor(post(urlPathEqualTo("/contacts/search")).willReturn(json(200, """
                        {"type": "list", "data": [], "total_count": 0,
                         "pages": {"type": "pages", "page": 1, "per_page": 150, "total_pages": 0}}""")));
        intercom.stubFor(post(urlPathEqualTo("/conversations/search"))
                .withRequestBody(matchingJsonPath("$.query.value", equalTo("0")))
                .willReturn(json(200, """
                        {"type": "conversation.list", "total_count": 2,
                         "pages": {"type": "pages", "page": 1, "per_page": 150, "total_pages": 1},
                         "conversations": [
                           {"type": "conversation", "id": "8101", "title": "Launch pad telemetry missing",
                            "created_at": 1773133200, "updated_at": 1773135000, "state": "open",
                            "priority": "priority",
                            "contacts": {"type": "contact.list", "contacts": [
                               {"type": "contact", "id": "6762f0d01bb69f9f21930002"}]},
                            "statistics": {"type": "conversation_statistics", "first_admin_reply_at": 1773133920},
                            "conversation_rating": null, "ticket": null},
                           {"type": "conversation", "id": "8102", "title": "Broken", "state": "pending",
                            "created_at": 1773133200, "updated_at": 1773135000,
                            "contacts": {"type": "contact.list", "contacts": [
                               {"type": "contact", "id": "6762f0d01bb69f9f21930002"}]}}]}""")));
        intercom.stubFor(post(urlPathEqualTo("/conversations/search"))
                .withRequestBody(matchingJsonPath("$.query.value", equalTo("1773134999")))
                .willReturn(json(200, """
                        {"type": "conversation.list", "total_count": 0,
                         "pages": {"type": "pages", "page": 1, "per_page": 150, "total_pages": 0},
                         "conversations": []}""")));
        intercom.stubFor(post(urlPathEqualTo("/tickets/search")).willReturn(json(200, """
                        {"type": "ticket.list", "total_count": 0,
                         "pages": {"type": "pages", "page": 1, "per_page": 150, "total_pages": 0}, "tickets": []}""")));
    }

    @DynamicPropertySource
    static void intercomApi(DynamicPropertyRegistry registry) {
        registry.add("steward.intercom.api-url", () -> "http://127.0.0.1:" + intercom.port());
    }

    @AfterAll
    static void stopIntercom() {
        intercom.stop();
    }

    @Test
    void connectIntercomFromThePagePullAndSeeTheConversationOnTheAccount() throws Exception {
        Files.createDirectories(Chromium.SCREENSHOTS);
        Page page = browsers.signedIn(port, "/sources", new Browser.NewContextOptions().setViewportSize(1280, 1000));
        page.getByLabel("Intercom source").fill("intercom-rocket");
        page.getByLabel("Region").selectOption("eu");
        token(page).fill("dG9rOndyb25n");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Connect Intercom"))
                .click();
        assertThat(page.getByTestId("intercom-error"))
                .hasText("The access token: Intercom refused: Access Token Invalid");
        assertThat(token(page)).hasValue("");
        assertThat(page.getByLabel("Region")).hasValue("eu");
        assertThat(page.locator("table")).not().containsText("intercom-rocket");

        token(page).fill(TOKEN);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Connect Intercom"))
                .click();
        assertThat(page).hasURL(Pattern.compile("/sources/intercom-rocket$"));
        assertThat(page.getByTestId("intercom-signed-in-as")).hasText("Rita Ops <ops@rocket.example>");
        assertThat(page.getByTestId("intercom-workspace")).hasText("Rocket Support");
        assertThat(page.getByTestId("intercom-host")).hasText("api.eu.intercom.io");
        assertThat(page.getByTestId("intercom-panel")).not().containsText(TOKEN);

        // Connecting started the first pull; the panel reloads itself until it is done.
        LocatorAssertions.ContainsTextOptions wait = new LocatorAssertions.ContainsTextOptions().setTimeout(30_000);
        assertThat(page.getByTestId("intercom-exports").locator("tr[data-export=tickets][data-state=succeeded]"))
                .containsText("tickets", wait);
        assertThat(page.getByTestId("intercom-exports").locator("tr[data-export=conversations]"))
                .containsText("2 read, 1 created, 1 rejected");
        assertThat(page.getByTestId("intercom-exports").locator("tr[data-export=companies]"))
                .containsText("1 read, 1 created");
        assertThat(page.getByTestId("intercom-errors"))
                .containsText("conversation 8102, state 'pending': is not an Intercom state (open, snoozed, closed)");
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(Chromium.SCREENSHOTS.resolve("intercom-source.png"))
                .setFullPage(true));

        page.getByTestId("intercom-pull-now").click();
        assertThat(page.getByTestId("intercom-exports").locator("tr[data-export=conversations][data-state=succeeded]"))
                .containsText("(by hand)", wait);
        assertThat(page.getByTestId("intercom-exports").locator("tr[data-export=conversations]"))
                .containsText("0 read");
        intercom.verify(postRequestedFor(urlPathEqualTo("/conversations/search"))
                .withRequestBody(matchingJsonPath("$.query.value", equalTo("1773134999"))));

        AccountId rocket = accounts.resolve("intercom-rocket", List.of("6762f0971bb69f9f21930001"))
                .get("6762f0971bb69f9f21930001");
        page.navigate("http://localhost:" + port + "/accounts/" + rocket.value());
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Rocket Works")))
                .isVisible();
        assertThat(page.getByTestId("timeline")).containsText("Launch pad telemetry missing");
        assertThat(page.getByTestId("timeline")).containsText("high priority, open");
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(Chromium.SCREENSHOTS.resolve("intercom-conversation-on-timeline.png"))
                .setFullPage(true));
    }

    /** Intercom's token field (Zendesk's card beside it has an "OAuth access token", HubSpot's an "Access token"). */
    private static com.microsoft.playwright.Locator token(Page page) {
        return page.getByTestId("connect-intercom")
                .getByLabel("Access token", new com.microsoft.playwright.Locator.GetByLabelOptions().setExact(true));
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }
}
