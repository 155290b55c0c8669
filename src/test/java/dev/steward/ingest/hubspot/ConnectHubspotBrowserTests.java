package dev.steward.ingest.hubspot;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
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
 * An administrator connects HubSpot from the data sources page against a local server answering with HubSpot's
 * documented shapes (WireMock): a token HubSpot refuses is explained in HubSpot's words and nothing is kept; a good one
 * names its portal, waits for its mapping, and once it is saved and the first sync started the panel shows each
 * feed's latest pull with its counts, its API calls and the rejected company; the companies are accounts, the child
 * under its parent. The whole mapping flow: a property mapped to a custom field of the account, the preview of the
 * first records, the first sync, and a company changed in HubSpot arriving on its account with sync now. Writes
 * screenshots to {@code target/screenshots}.
 */
@BrowserTest
@TestPropertySource(properties = {"steward.hubspot.backoff=50ms"})
class ConnectHubspotBrowserTests {

    private static final String TOKEN = "pat-eu1-rocket-0123456789";

    private static final String MAPPED = "pat-eu1-comet-0123456789";

    /** HubSpot's properties of each object ({@code GET /crm/v3/properties/<object>}), a custom one among them. */
    private static final java.util.Map<String, String> PROPERTIES =
            java.util.Map.of("companies", """
            {"results": [
              {"name": "name", "label": "Company name", "type": "string", "fieldType": "text", "hubspotDefined": true},
              {"name": "domain", "label": "Company Domain Name", "type": "string", "fieldType": "text", "hubspotDefined": true},
              {"name": "plan_tier", "label": "Plan tier", "type": "string", "fieldType": "text", "groupName": "companyinformation"}]}""", "contacts", """
            {"results": [{"name": "email", "label": "Email", "type": "string", "fieldType": "text", "hubspotDefined": true}]}""", "deals", """
            {"results": [{"name": "dealname", "label": "Deal Name", "type": "string", "fieldType": "text", "hubspotDefined": true}]}""");

    static WireMockServer hubspot;

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @Autowired
    AccountManagement accounts;

    @BeforeAll
    static void startHubspot() {
        hubspot = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        hubspot.start();
        hubspot.stubFor(get(urlPathEqualTo("/account-info/v3/details")).willReturn(json(401, """
                        {"status": "error", "message": "The OAuth token used to make this call expired 2 day(s) ago.",
                         "correlationId": "7a1c", "category": "EXPIRED_AUTHENTICATION"}""")));
        hubspot.stubFor(
                authorized(get(urlPathEqualTo("/account-info/v3/details"))).willReturn(json(200, """
                        {"portalId": 7014, "timeZone": "Europe/Berlin", "companyCurrency": "EUR",
                         "uiDomain": "app-eu1.hubspot.com", "dataHostingLocation": "eu1", "accountType": "STANDARD"}""")));
        hubspot.stubFor(list("companies").willReturn(json(200, """
                        {"total": 3, "results": [
                          {"id": "701", "properties": {"name": "Rocket Works", "domain": "rocketworks.example",
                            "hs_parent_company_id": "702", "createdate": "2025-01-01T10:00:00.000Z",
                            "hs_lastmodifieddate": "2026-03-01T10:00:00.000Z"},
                           "createdAt": "2025-01-01T10:00:00.000Z", "updatedAt": "2026-03-01T10:00:00.000Z", "archived": false},
                          {"id": "702", "properties": {"name": "Rocket Group", "domain": "rocketgroup.example",
                            "createdate": "2025-01-01T10:00:00.000Z", "hs_lastmodifieddate": "2026-03-01T11:00:00.000Z"},
                           "createdAt": "2025-01-01T10:00:00.000Z", "updatedAt": "2026-03-01T11:00:00.000Z", "archived": false},
                          {"id": "703", "properties": {"name": "Broken", "hs_parent_company_id": "Rocket Group",
                            "hs_lastmodifieddate": "2026-03-01T12:00:00.000Z"},
                           "createdAt": "2025-01-01T10:00:00.000Z", "updatedAt": "2026-03-01T12:00:00.000Z", "archived": false}]}""")));
        hubspot.stubFor(list("contacts").willReturn(json(200, """
                        {"total": 1, "results": [
                          {"id": "801", "properties": {"firstname": "Lena", "lastname": "Launch",
                            "email": "lena@rocketworks.example", "associatedcompanyid": "701",
                            "createdate": "2025-01-01T10:00:00.000Z", "lastmodifieddate": "2026-03-01T10:00:00.000Z"},
                           "createdAt": "2025-01-01T10:00:00.000Z", "updatedAt": "2026-03-01T10:00:00.000Z", "archived": false}]}""")));
        hubspot.stubFor(list("deals").willReturn(json(200, """
                        {"total": 1, "results": [
                          {"id": "901", "properties": {"dealname": "Rocket Works renewal", "amount": "30000",
                            "dealstage": "contractsent", "dealtype": "renewal", "closedate": "2026-06-30T00:00:00.000Z",
                            "createdate": "2026-01-01T10:00:00.000Z", "hs_lastmodifieddate": "2026-03-01T10:00:00.000Z"},
                           "createdAt": "2026-01-01T10:00:00.000Z", "updatedAt": "2026-03-01T10:00:00.000Z", "archived": false,
                           "associations": {"companies": {"results": [{"id": "701", "type": "deal_to_company"}]}}}]}""")));
        for (String object : List.of("companies", "contacts", "deals")) {
            for (String token : List.of(TOKEN, MAPPED)) {
                hubspot.stubFor(get(urlPathEqualTo("/crm/v3/properties/" + object))
                        .withHeader("Authorization", equalTo("Bearer " + token))
                        .willReturn(json(200, PROPERTIES.get(object))));
            }
        }
        hubspot.stubFor(authorized(post(urlPathEqualTo("/crm/v4/associations/deals/companies/batch/read")))
                .willReturn(json(200, """
                        {"status": "COMPLETE", "results": [{"from": {"id": "901"}, "to": [{"toObjectId": 701,
                          "associationTypes": [{"category": "HUBSPOT_DEFINED", "typeId": 5, "label": "Primary"}]}]}]}""")));
    }

    @DynamicPropertySource
    static void hubspotApi(DynamicPropertyRegistry registry) {
        registry.add("steward.hubspot.api-url", () -> "http://127.0.0.1:" + hubspot.port());
    }

    @AfterAll
    static void stopHubspot() {
        hubspot.stop();
    }

    @Test
    void connectHubspotFromThePagePullAndSeeTheAccountsAndTheRun() throws Exception {
        Files.createDirectories(Chromium.SCREENSHOTS);
        Page page = browsers.signedIn(port, "/sources", new Browser.NewContextOptions().setViewportSize(1280, 1000));
        Locator card = page.getByTestId("connect-hubspot");
        card.getByLabel("HubSpot source").fill("hubspot-rocket");
        card.getByLabel("Access token").fill("pat-expired");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Connect HubSpot"))
                .click();
        assertThat(page.getByTestId("hubspot-error"))
                .hasText("The access token: HubSpot refused: The OAuth token used to make this call expired 2 day(s)"
                        + " ago.");
        assertThat(page.getByTestId("connect-hubspot").getByLabel("Access token"))
                .hasValue("");
        assertThat(page.getByTestId("connect-hubspot").getByLabel("HubSpot source"))
                .hasValue("hubspot-rocket");

        page.getByTestId("connect-hubspot").getByLabel("Access token").fill(TOKEN);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Connect HubSpot"))
                .click();
        assertThat(page).hasURL(Pattern.compile("/sources/hubspot-rocket$"));
        assertThat(page.getByTestId("hubspot-portal")).hasText("7014");
        assertThat(page.getByTestId("hubspot-panel")).not().containsText(TOKEN);

        // Connected from the page, the source waits for its mapping: saved as it is, then the first pull starts.
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save mapping"))
                .click();
        assertThat(page.getByTestId("mapping-saved")).isVisible();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start first sync"))
                .click();
        LocatorAssertions.ContainsTextOptions wait = new LocatorAssertions.ContainsTextOptions().setTimeout(30_000);
        Locator runs = page.getByTestId("hubspot-exports");
        assertThat(runs.locator("tr[data-export=deals][data-state=succeeded]")).containsText("deals", wait);
        assertThat(runs.locator("tr[data-export=companies]")).containsText("3 read, 2 created, 1 rejected");
        assertThat(runs.locator("tr[data-export=contacts]")).containsText("1 read, 1 created");
        assertThat(runs.locator("tr[data-export=deals]")).containsText("1 read, 1 created");
        assertThat(page.getByTestId("hubspot-errors"))
                .containsText("company 703, hs_parent_company_id 'Rocket Group': is not a HubSpot company id");
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(Chromium.SCREENSHOTS.resolve("hubspot-source.png"))
                .setFullPage(true));

        AccountId works = accounts.resolve("hubspot-rocket", List.of("701")).get("701");
        page.navigate("http://localhost:" + port + "/accounts/" + works.value());
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Rocket Works")))
                .isVisible();
        assertThat(page.locator(".breadcrumb")).containsText("Rocket Group");
    }

    @Test
    void mapAPropertyToACustomFieldPreviewSyncAndSeeAChangeInHubspotArrive() throws Exception {
        hubspot.stubFor(get(urlPathEqualTo("/account-info/v3/details"))
                .withHeader("Authorization", equalTo("Bearer " + MAPPED))
                .willReturn(json(200, """
                        {"portalId": 7015, "uiDomain": "app-eu1.hubspot.com", "accountType": "STANDARD"}""")));
        hubspot.stubFor(mapped("companies")
                .withRequestBody(notContaining("filterGroups"))
                .willReturn(json(200, """
                        {"total": 2, "results": [
                          {"id": "711", "properties": {"name": "Comet Analytics", "domain": "comet.example",
                            "plan_tier": "Gold", "hs_lastmodifieddate": "2026-03-01T10:00:00.000Z"},
                           "createdAt": "2025-01-01T10:00:00.000Z", "updatedAt": "2026-03-01T10:00:00.000Z", "archived": false},
                          {"id": "712", "properties": {"name": "Comet Labs", "domain": "cometlabs.example",
                            "plan_tier": "Silver", "hs_lastmodifieddate": "2026-03-01T11:00:00.000Z"},
                           "createdAt": "2025-01-01T10:00:00.000Z", "updatedAt": "2026-03-01T11:00:00.000Z", "archived": false}]}""")));
        for (String object : List.of("contacts", "deals")) {
            hubspot.stubFor(mapped(object).willReturn(json(200, """
                    {"total": 0, "results": []}""")));
            hubspot.stubFor(mappedList(object).willReturn(json(200, """
                    {"results": []}""")));
        }
        // The first pull reads HubSpot's list of companies; the preview and later pulls search.
        hubspot.stubFor(mappedList("companies").willReturn(json(200, """
                {"results": [
                  {"id": "711", "properties": {"name": "Comet Analytics", "domain": "comet.example",
                    "plan_tier": "Gold", "hs_lastmodifieddate": "2026-03-01T10:00:00.000Z"},
                   "createdAt": "2025-01-01T10:00:00.000Z", "updatedAt": "2026-03-01T10:00:00.000Z", "archived": false},
                  {"id": "712", "properties": {"name": "Comet Labs", "domain": "cometlabs.example",
                    "plan_tier": "Silver", "hs_lastmodifieddate": "2026-03-01T11:00:00.000Z"},
                   "createdAt": "2025-01-01T10:00:00.000Z", "updatedAt": "2026-03-01T11:00:00.000Z", "archived": false}]}""")));

        Files.createDirectories(Chromium.SCREENSHOTS);
        Page page = browsers.signedIn(port, "/sources", new Browser.NewContextOptions().setViewportSize(1280, 1400));
        Locator card = page.getByTestId("connect-hubspot");
        card.getByLabel("HubSpot source").fill("hubspot-comet");
        card.getByLabel("Access token").fill(MAPPED);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Connect HubSpot"))
                .click();
        assertThat(page).hasURL(Pattern.compile("/sources/hubspot-comet$"));

        // Map HubSpot's plan tier to a custom field of the account.
        Locator mapping = page.getByTestId("crm-mapping");
        assertThat(mapping.locator("datalist#properties-companies option[value=plan_tier]"))
                .hasText("Plan tier → customFields.plan_tier");
        assertThat(mapping.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Start first sync")))
                .isDisabled();
        mapping.getByLabel("Add companies property 1").fill("plan_tier");
        mapping.getByLabel("Add companies field 1").fill("customFields.plan_tier");
        mapping.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save mapping"))
                .click();
        assertThat(page.getByTestId("mapping-saved")).isVisible();
        assertThat(page.getByTestId("crm-mapping").locator("tr[data-target='customFields.plan_tier']"))
                .isVisible();

        // The preview: what the first pull would make of the first records, nothing written.
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Preview the first records"))
                .click();
        Locator preview = page.getByTestId("crm-preview");
        assertThat(preview.locator("[data-object=companies] h3")).containsText("2 read: 2 to create");
        assertThat(preview.locator("tr[data-id='711']")).containsText("create");
        assertThat(preview.locator("tr[data-id='711']")).containsText("Comet Analytics");
        assertThat(preview.locator("tr[data-id='711']")).containsText("\"plan_tier\":\"Gold\"");
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(Chromium.SCREENSHOTS.resolve("hubspot-mapping-preview.png"))
                .setFullPage(true));
        org.assertj.core.api.Assertions.assertThat(accounts.resolve("hubspot-comet", List.of("711")))
                .isEmpty();

        // Start the first sync; the run and the accounts appear.
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start first sync"))
                .click();
        LocatorAssertions.ContainsTextOptions wait = new LocatorAssertions.ContainsTextOptions().setTimeout(30_000);
        Locator runs = page.getByTestId("hubspot-exports");
        assertThat(runs.locator("tr[data-export=deals][data-state=succeeded]")).containsText("deals", wait);
        assertThat(runs.locator("tr[data-export=companies]")).containsText("2 read, 2 created");
        AccountId comet = accounts.resolve("hubspot-comet", List.of("711")).get("711");
        page.navigate("http://localhost:" + port + "/accounts/" + comet.value());
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Comet Analytics")))
                .isVisible();
        assertThat(page.locator("dl")).containsText("plan_tier");
        assertThat(page.locator("dl")).containsText("Gold");

        // The company changes in HubSpot; sync now brings the change onto the account.
        // The search after a first load asks for what changed since the load began (the test clock's time).
        hubspot.stubFor(mapped("companies")
                .withRequestBody(matchingJsonPath("$.filterGroups[0].filters[0].value", equalTo("1773828930000")))
                .willReturn(json(200, """
                        {"total": 1, "results": [
                          {"id": "711", "properties": {"name": "Comet Analytics AG", "domain": "comet.example",
                            "plan_tier": "Platinum", "hs_lastmodifieddate": "2026-03-18T10:20:00.000Z"},
                           "createdAt": "2025-01-01T10:00:00.000Z", "updatedAt": "2026-03-18T10:20:00.000Z", "archived": false}]}""")));
        page.navigate("http://localhost:" + port + "/sources/hubspot-comet");
        page.getByTestId("hubspot-pull-now").click();
        assertThat(page.getByTestId("hubspot-exports").locator("tr[data-export=companies]"))
                .containsText("1 read, 1 updated", wait);
        assertThat(page.getByTestId("hubspot-exports").locator("tr[data-export=deals][data-state=succeeded]"))
                .containsText("deals", wait);
        page.navigate("http://localhost:" + port + "/accounts/" + comet.value());
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Comet Analytics AG")))
                .isVisible();
        assertThat(page.locator("dl")).containsText("Platinum");
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(Chromium.SCREENSHOTS.resolve("hubspot-mapped-account.png"))
                .setFullPage(true));
    }

    private static MappingBuilder mapped(String object) {
        return post(urlPathEqualTo("/crm/v3/objects/" + object + "/search"))
                .withHeader("Authorization", equalTo("Bearer " + MAPPED));
    }

    private static MappingBuilder mappedList(String object) {
        return get(urlPathEqualTo("/crm/v3/objects/" + object))
                .withHeader("Authorization", equalTo("Bearer " + MAPPED));
    }

    private static MappingBuilder authorized(MappingBuilder request) {
        return request.withHeader("Authorization", equalTo("Bearer " + TOKEN));
    }

    /** HubSpot's list of an object, which the first pull reads. */
    private static MappingBuilder list(String object) {
        return authorized(get(urlPathEqualTo("/crm/v3/objects/" + object)));
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }
}
