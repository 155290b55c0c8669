package dev.steward.ingest.export;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.steward.core.BrowserTest;
import dev.steward.core.Browsers;
import dev.steward.core.Chromium;
import java.nio.file.Files;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * An administrator back-fills from Amplitude on the data sources page, against a local server answering with
 * Amplitude's documented shapes (WireMock): a secret key Amplitude refuses is explained and nothing is kept; a good one
 * names the host and key, the back-fill (two days here) runs at once, the panel shows the days pulled and the run's
 * counts, and the source's page has the event → metric mapping form of Segment sources. Writes screenshots to {@code
 * target/screenshots}.
 */
@BrowserTest
@TestPropertySource(
        properties = {"steward.event-exports.amplitude-calls-per-hour=360000", "steward.event-exports.backoff=50ms"})
class ConnectEventExportBrowserTests {

    static WireMockServer amplitude;

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @BeforeAll
    static void startAmplitude() {
        amplitude = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        amplitude.start();
        amplitude.stubFor(get(urlPathEqualTo("/api/2/export"))
                .willReturn(aResponse().withStatus(401).withBody("Invalid Api-Key")));
        String basic = "Basic " + Base64.getEncoder().encodeToString("rocket-key:rocket-secret".getBytes());
        amplitude.stubFor(get(urlPathEqualTo("/api/2/export"))
                .withHeader("Authorization", equalTo(basic))
                .willReturn(aResponse().withStatus(404).withBody("Raw data files were not found.")));
        amplitude.stubFor(get(urlPathEqualTo("/api/2/export"))
                .withQueryParam("start", equalTo("20260317T00"))
                .withQueryParam("end", equalTo("20260317T23"))
                .withHeader("Authorization", equalTo(basic))
                .willReturn(EventExportPullApiTests.zip(Map.of("77/77_2026-03-17_14#0.json.gz", """
                        {"event_type": "Launch Scheduled", "user_id": "lena@rocket.example", \
                        "event_time": "2026-03-17 14:00:00.000000", "insert_id": "rk-1", \
                        "groups": {"org": ["rocket-works"]}}
                        {"event_type": "Launch Scheduled", "user_id": "lena@rocket.example", \
                        "event_time": "2026-03-17 15:00:00.000000", "insert_id": "rk-2", \
                        "groups": {"org": ["rocket-works"]}}
                        """))));
    }

    @DynamicPropertySource
    static void amplitudeApi(DynamicPropertyRegistry registry) {
        registry.add("steward.event-exports.amplitude-url", () -> "http://127.0.0.1:" + amplitude.port());
    }

    @AfterAll
    static void stopAmplitude() {
        amplitude.stop();
    }

    @Test
    void backfillFromAmplitudeOnThePageAndSeeTheDaysPulled() throws Exception {
        Files.createDirectories(Chromium.SCREENSHOTS);
        Page page = browsers.signedIn(port, "/sources", new Browser.NewContextOptions().setViewportSize(1280, 1000));
        Locator form = page.getByTestId("connect-amplitude");
        form.getByLabel("Amplitude source").fill("amplitude-rocket");
        form.getByLabel("Data center").selectOption("eu");
        form.getByLabel("API key").fill("rocket-key");
        form.getByLabel("Secret key").fill("wrong-secret");
        form.getByLabel("Group type").fill("org");
        form.getByLabel("Days").fill("2");
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Back-fill from Amplitude"))
                .click();
        assertThat(page.getByTestId("amplitude-error"))
                .hasText("The secret key: Amplitude refused: Amplitude answered 401");
        form = page.getByTestId("connect-amplitude");
        assertThat(form.getByLabel("Secret key")).hasValue("");
        assertThat(form.getByLabel("API key")).hasValue("rocket-key");
        assertThat(form.getByLabel("Data center")).hasValue("eu");
        assertThat(page.locator("table")).not().containsText("amplitude-rocket");

        form.getByLabel("Secret key").fill("rocket-secret");
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Back-fill from Amplitude"))
                .click();
        assertThat(page).hasURL(Pattern.compile("/sources/amplitude-rocket$"));
        assertThat(page.getByTestId("event-export-host")).hasText("analytics.eu.amplitude.com");
        assertThat(page.getByTestId("event-export-signed-in-as")).hasText("API key rocket-key");
        assertThat(page.getByTestId("event-export-panel")).not().containsText("rocket-secret");

        // Connecting started the back-fill; the panel reloads itself until it is done.
        LocatorAssertions.ContainsTextOptions wait = new LocatorAssertions.ContainsTextOptions().setTimeout(30_000);
        assertThat(page.getByTestId("event-export-exports").locator("tr[data-export=events][data-state=succeeded]"))
                .containsText("2 read, 2 created", wait);
        assertThat(page.getByTestId("event-export-days")).containsText("Pulled through");
        assertThat(page.getByTestId("event-export-days")).containsText("17 Mar 2026");
        assertThat(page.getByTestId("event-export-panel")).containsText("org");
        assertThat(page.getByTestId("mapping-form")).isVisible();
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(Chromium.SCREENSHOTS.resolve("amplitude-export-source.png"))
                .setFullPage(true));
    }
}
