package dev.steward.ingest.stripe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.steward.core.BrowserTest;
import dev.steward.core.Browsers;
import dev.steward.core.Chromium;
import dev.steward.customer.AccountManagement;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An administrator connects Stripe from the data sources page against a local server answering as Stripe's API does
 * (WireMock, with the objects of Stripe's documented responses): a refused key is explained in Stripe's words and
 * creates nothing; a good key names the account, the backfill reads every page of customers, the subscriptions and
 * invoices and applies them, and the webhook URL to give Stripe is shown with a copy button. Writes screenshots to
 * {@code target/screenshots}.
 */
@BrowserTest
class ConnectStripeBrowserTests {

    private static final String GOOD_KEY = "rk_test_51StwGoodKey0000000000";
    private static final String BAD_KEY = "rk_test_51StwRevokedKey000000";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static WireMockServer stripe;

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @Autowired
    AccountManagement accounts;

    @BeforeAll
    static void startStripe() throws IOException {
        stripe = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        stripe.start();
        ObjectNode northwind = object("customer.created");
        ObjectNode contoso = northwind.deepCopy().put("id", "cus_StwContoso01").put("name", "Contoso");
        ObjectNode fabrikam =
                northwind.deepCopy().put("id", "cus_StwFabrikam01").put("name", "Fabrikam");
        // Stripe's error for a key it does not know (HTTP 401), and its account object for one it does.
        stripe.stubFor(get(urlPathEqualTo("/v1/customers"))
                .withHeader("Authorization", equalTo("Bearer " + BAD_KEY))
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader("Content-Type", "application/json")
                        .withBody("""
                                {"error": {"message": "Invalid API Key provided: rk_test_****y000",
                                           "type": "invalid_request_error"}}""")));
        stripe.stubFor(get(urlPathEqualTo("/v1/account"))
                .withHeader("Authorization", equalTo("Bearer " + GOOD_KEY))
                .willReturn(json("""
                        {"id": "acct_1StwTest", "object": "account", "business_profile": {"name": "Northwind Labs Inc."},
                         "settings": {"dashboard": {"display_name": "Northwind Labs", "timezone": "Etc/UTC"}},
                         "country": "US", "default_currency": "usd"}""")));
        // Customers in two pages (the second asked for after the last id of the first), then the rest.
        stripe.stubFor(get(urlPathEqualTo("/v1/customers"))
                .withHeader("Authorization", equalTo("Bearer " + GOOD_KEY))
                .withQueryParam("limit", equalTo("1"))
                .willReturn(json(list("/v1/customers", true, northwind))));
        stripe.stubFor(get(urlPathEqualTo("/v1/customers"))
                .withHeader("Authorization", equalTo("Bearer " + GOOD_KEY))
                .withQueryParam("limit", equalTo("100"))
                .withQueryParam("starting_after", com.github.tomakehurst.wiremock.client.WireMock.absent())
                .willReturn(json(list("/v1/customers", true, northwind, contoso))));
        stripe.stubFor(get(urlPathEqualTo("/v1/customers"))
                .withHeader("Authorization", equalTo("Bearer " + GOOD_KEY))
                .withQueryParam("starting_after", equalTo("cus_StwContoso01"))
                .willReturn(json(list("/v1/customers", false, fabrikam))));
        stripe.stubFor(get(urlPathEqualTo("/v1/subscriptions"))
                .withHeader("Authorization", equalTo("Bearer " + GOOD_KEY))
                .withQueryParam("status", equalTo("all"))
                .willReturn(json(list("/v1/subscriptions", false, object("customer.subscription.created")))));
        stripe.stubFor(get(urlPathEqualTo("/v1/invoices"))
                .withHeader("Authorization", equalTo("Bearer " + GOOD_KEY))
                .willReturn(json(list("/v1/invoices", false, object("invoice.paid")))));
    }

    @DynamicPropertySource
    static void stripeApi(DynamicPropertyRegistry registry) {
        registry.add("steward.stripe.api-url", () -> "http://127.0.0.1:" + stripe.port());
    }

    @AfterAll
    static void stopStripe() {
        stripe.stop();
    }

    @Test
    void connectStripeFromThePageAndSeeTheBackfillApplied() throws Exception {
        Files.createDirectories(Chromium.SCREENSHOTS);
        Page page = browsers.signedIn(
                port,
                "/sources",
                new Browser.NewContextOptions()
                        .setViewportSize(1280, 1000)
                        .setPermissions(List.of("clipboard-read", "clipboard-write")));

        page.getByLabel("Stripe source").fill("stripe-main");
        page.getByLabel("API key (secret or restricted)").fill(BAD_KEY);
        page.getByLabel("Webhook signing secret").fill("whsec_StwTestSecret0001");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Connect Stripe"))
                .click();
        assertThat(page.getByTestId("stripe-error"))
                .hasText("Stripe refused the key: Invalid API Key provided: rk_test_****y000");
        // a key typed in is never sent back to the browser
        assertThat(page.getByLabel("API key (secret or restricted)")).hasValue("");
        assertThat(page.locator("table")).not().containsText("stripe-main");

        page.getByLabel("API key (secret or restricted)").fill(GOOD_KEY);
        page.getByLabel("Webhook signing secret").fill("whsec_StwTestSecret0001");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Connect Stripe"))
                .click();
        assertThat(page).hasURL(Pattern.compile("/sources/stripe-main$"));
        assertThat(page.getByTestId("stripe-account")).containsText("Connected as Northwind Labs");
        assertThat(page.getByTestId("stripe-account")).containsText("acct_1StwTest");
        assertThat(page.getByTestId("stripe-account")).containsText("rk_test_…0000");
        assertThat(page.getByTestId("stripe-account")).not().containsText(GOOD_KEY);
        assertThat(page.getByTestId("stripe-backfill"))
                .containsText(
                        "Backfill done",
                        new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions()
                                .setTimeout(30_000));
        assertThat(page.getByTestId("stripe-backfill")).containsText("3 customers, 1 subscription, 1 invoice applied");

        String webhookUrl = "http://localhost:" + port + "/webhooks/stripe/stripe-main";
        assertThat(page.getByTestId("endpoint-url")).hasValue(webhookUrl);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Copy"))
                .click();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Copied")))
                .isVisible();
        org.assertj.core.api.Assertions.assertThat(page.evaluate("navigator.clipboard.readText()"))
                .isEqualTo(webhookUrl);
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(Chromium.SCREENSHOTS.resolve("stripe-source.png"))
                .setFullPage(true));

        org.assertj.core.api.Assertions.assertThat(accounts.resolve(
                        "stripe-main", List.of("cus_StwNorthwind01", "cus_StwContoso01", "cus_StwFabrikam01")))
                .hasSize(3);
        stripe.verify(getRequestedFor(urlPathEqualTo("/v1/customers"))
                .withQueryParam("starting_after", equalTo("cus_StwContoso01")));

        page.navigate("http://localhost:" + port + "/sources");
        assertThat(page.locator("table")).containsText("stripe-main");
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(Chromium.SCREENSHOTS.resolve("sources.png"))
                .setFullPage(true));

        // The page's help links go to the docs rendered by Steward, not to the repository.
        page.getByRole(
                        AriaRole.LINK,
                        new Page.GetByRoleOptions().setName("Stripe").setExact(true))
                .click();
        assertThat(page).hasURL(Pattern.compile("/docs/ingest-stripe$"));
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Stripe webhooks")))
                .isVisible();
        page.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("docs-stripe.png")));
    }

    private static ObjectNode object(String event) throws IOException {
        try (InputStream in = ConnectStripeBrowserTests.class.getResourceAsStream("/stripe/" + event + ".json")) {
            return (ObjectNode) JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .path("data")
                    .path("object");
        }
    }

    private static String list(String url, boolean hasMore, ObjectNode... objects) {
        ObjectNode list =
                JSON.createObjectNode().put("object", "list").put("url", url).put("has_more", hasMore);
        ArrayNode data = list.putArray("data");
        for (ObjectNode object : objects) {
            data.add(object);
        }
        return JSON.writeValueAsString(list);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withHeader("Content-Type", "application/json").withBody(body);
    }
}
