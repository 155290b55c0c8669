package dev.steward.identity;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.steward.core.StewardInstance;
import dev.steward.core.StewardTest;
import dev.steward.core.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.yaml.snakeyaml.Yaml;

/**
 * The configuration bundle through the API and the page: documents added and changed all or nothing, exported again
 * exactly as applied, a bundle with one bad document refused whole, an unreadable bundle refused precisely, and a
 * sandbox's bundle pulled over its API.
 */
@StewardTest
@WithUserDetails(SignInTests.ADMIN)
class ConfigurationBundleTests {

    private static final String SEGMENT = """
            name: Bundle miners
            description: Mining accounts, from a bundle
            condition: account.industry == "Bundle-Mining"
            """;

    private static final String SCORECARD = """
            name: Bundle Logins
            appliesTo: account.tier == "Bundletest"
            priority: 71
            thresholds: { red: 40, yellow: 70 }
            minimumCoverage: 0.6
            dimensions:
              - name: Product
                weight: 100
                measures:
                  - name: Logins
                    metric: logins
                    aggregate: sum
                    window: 30d
                    weight: 100
                    score: { linear: { from: 0, to: 150 } }
            """;

    static WireMockServer sandbox;

    @Autowired
    MockMvc mvc;

    @Autowired
    UserDirectory directory;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @BeforeAll
    static void startSandbox() {
        sandbox = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        sandbox.start();
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.stop();
    }

    @Test
    void aBundleAddsAndChangesDocumentsAllOrNothingAndIsExportedAgainExactly() throws Exception {
        String before = export();
        String bundle = bundle(
                Map.of("segments", Map.of("Bundle miners", SEGMENT), "scorecards", Map.of("Bundle Logins", SCORECARD)));

        send("/api/v1/configuration/bundle/preview", bundle)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.applied", is(false)))
                .andExpect(jsonPath("$.documents[?(@.name == 'Bundle miners')].change", hasItem("added")))
                .andExpect(jsonPath("$.documents[?(@.name == 'Bundle Logins')].change", hasItem("added")))
                .andExpect(jsonPath(
                        "$.documents[?(@.name == 'Bundle miners')].diff",
                        hasItem(containsString("+condition: account.industry == \"Bundle-Mining\""))));
        assertThat(export()).as("a preview changes nothing").isEqualTo(before);

        send("/api/v1/configuration/bundle", bundle)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.applied", is(true)));
        String exported = export();
        Map<String, Map<String, String>> read = read(exported);
        assertThat(read.get("segments")).containsEntry("Bundle miners", SEGMENT);
        assertThat(read.get("scorecards")).containsEntry("Bundle Logins", SCORECARD);
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get(
                        "/api/v1/segments/Bundle miners/versions"))
                .andExpect(jsonPath("$[0].status", is("published")));

        // The export applied again changes nothing and exports the very same bundle.
        send("/api/v1/configuration/bundle", exported)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.documents[?(@.change != 'unchanged')]", org.hamcrest.Matchers.empty()));
        assertThat(export()).isEqualTo(exported);

        // One bad document refuses the whole bundle: the changed scorecard is not published either.
        String changed = SCORECARD.replace("red: 40", "red: 45");
        String broken = """
                name: Bundle broken
                condition: |
                  account.daysToRenwal < 90
                """;
        send(
                        "/api/v1/configuration/bundle",
                        bundle(Map.of(
                                "segments", Map.of("Bundle broken", broken),
                                "scorecards", Map.of("Bundle Logins", changed))))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("segments.Bundle broken")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("did you mean 'account.daysToRenewal'")));
        assertThat(export()).isEqualTo(exported);
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get(
                        "/api/v1/segments/Bundle broken/versions"))
                .andExpect(status().isNotFound());
    }

    /**
     * The bundle round-trips between instances: exported here and applied to another Steward on a database of its
     * own (its people provisioned first, as single sign-on would), that one exports the very same bundle.
     */
    @Test
    void aBundleAppliedOnASecondDatabaseGivesTheSameConfiguration() throws Exception {
        send(
                        "/api/v1/configuration/bundle",
                        bundle(Map.of(
                                "segments",
                                Map.of("Second miners", SEGMENT.replace("Bundle miners", "Second miners")),
                                "scorecards",
                                Map.of(
                                        "Second Logins",
                                        SCORECARD
                                                .replace("Bundle Logins", "Second Logins")
                                                .replace("Bundletest", "Secondtest")
                                                .replace("priority: 71", "priority: 72")))))
                .andExpect(status().isOk());
        String exported = export();
        try (StewardInstance second = StewardInstance.start(
                "second", TestDatabase.createMigratedDatabase(), new AbstractSchedulerListener() {}, List.of())) {
            UserManagement people = second.bean(UserManagement.class);
            for (User person : directory.everyone()) {
                people.createIfAbsent(person.email(), person.displayName(), person.role());
            }
            ConfigurationBundles bundles = second.bean(ConfigurationBundles.class);
            assertThat(bundles.export())
                    .as("a new instance has only what it ships")
                    .isNotEqualTo(exported);
            User admin = people.createIfAbsent("second.admin@example.com", "Second Admin", Role.ADMIN);
            ConfigurationBundles.Outcome outcome = bundles.apply(exported, admin);
            assertThat(outcome.applied())
                    .as("problems: %s", outcome.documents())
                    .isTrue();
            assertThat(outcome.count(ConfigurationBundles.Change.added)).isPositive();
            // The same bundle but for the moment of its export in the first line.
            assertThat(withoutHeader(bundles.export())).isEqualTo(withoutHeader(exported));
        }
    }

    /**
     * Metrics and data sources travel with the rest: a source's mapping, its connection's address and schedule and its
     * warehouse feed arrive; its secret never leaves, and a source a bundle creates waits, paused, for its credentials.
     */
    @Test
    void sourcesTravelWithTheirMappingsButNeverWithTheirSecrets() throws Exception {
        String metric = """
                name: Bundle reports
                description: Reports created
                unit: reports
                aggregation: sum
                """;
        String segmentSource = """
                kind: segment
                expectedIntervalHours: 24
                settings:
                  events:
                    Bundle Report Created: bundle.reports
                """;
        String warehouse = """
                kind: warehouse
                connection:
                  everyMinutes: 60
                  settings:
                    jdbcUrl: jdbc:postgresql://db.example.com/facts?password=hunter2&ssl=true
                    user: reader
                warehouseFeeds:
                  daily-usage:
                    query: select account_id, day, logins from usage_daily
                    entity: usage
                    mapping:
                      account_id: account
                """;
        send(
                        "/api/v1/configuration/bundle",
                        bundle(Map.of(
                                "metrics", Map.of("bundle.reports", metric),
                                "sources", Map.of("bundle-web", segmentSource, "bundle-facts", warehouse))))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.documents[?(@.name == 'bundle-web')].change", hasItem("added")))
                .andExpect(jsonPath("$.documents[?(@.name == 'bundle.reports')].change", hasItem("added")));

        Map<String, Map<String, String>> exported = read(export());
        assertThat(exported.get("metrics")).containsEntry("bundle.reports", metric);
        assertThat(exported.get("sources").get("bundle-web")).contains("Bundle Report Created: bundle.reports");
        String facts = exported.get("sources").get("bundle-facts");
        assertThat(facts)
                .contains("jdbcUrl: jdbc:postgresql://db.example.com/facts?ssl=true")
                .contains("query: select account_id, day, logins from usage_daily")
                .doesNotContain("hunter2");
        assertThat(jdbc.sql("""
                        select paused and secret is null from ingest_pull_connection c
                        join ingest_source s on s.id = c.source_id where s.name = 'bundle-facts'""").query(Boolean.class).single())
                .as("a source the bundle created waits for its credentials")
                .isTrue();

        // A connection changed by a bundle keeps its secret; its schedule follows the bundle.
        jdbc.sql("""
                        update ingest_pull_connection set secret = 'sealed-by-hand', paused = false
                        where source_id = (select id from ingest_source where name = 'bundle-facts')""").update();
        send(
                        "/api/v1/configuration/bundle",
                        bundle(Map.of(
                                "sources",
                                Map.of("bundle-facts", facts.replace("everyMinutes: 60", "everyMinutes: 30")))))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.documents[?(@.name == 'bundle-facts')].change", hasItem("changed")));
        assertThat(jdbc.sql("""
                        select secret || ' ' || every_minutes || ' ' || paused from ingest_pull_connection c
                        join ingest_source s on s.id = c.source_id where s.name = 'bundle-facts'""").query(String.class).single()).isEqualTo("sealed-by-hand 30 false");

        // A mapping to a metric that does not exist, or a source that would change kind, refuses the bundle.
        send(
                        "/api/v1/configuration/bundle",
                        bundle(Map.of(
                                "sources",
                                Map.of(
                                        "bundle-web",
                                        segmentSource.replace("bundle.reports", "bundle.nothing"),
                                        "bundle-facts",
                                        "kind: csv\n"))))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath(
                        "$.errors[?(@.field == 'sources.bundle-facts')].reason",
                        hasItem(containsString("is a warehouse source here"))))
                .andExpect(jsonPath(
                        "$.errors[?(@.field == 'sources.bundle-web')].reason",
                        hasItem(containsString("bundle.nothing"))));
        assertThat(read(export()).get("sources").get("bundle-web")).contains("bundle.reports");
    }

    @Test
    void aBundleThatCannotBeReadIsRefusedNamingWhy() throws Exception {
        send("/api/v1/configuration/bundle", "steward-bundle: 1\nwidgets:\n  a: b\n")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("widgets")))
                .andExpect(jsonPath(
                        "$.errors[0].reason",
                        containsString("is not a kind of document; the kinds are metrics, sources, segments")));
        send("/api/v1/configuration/bundle", "steward-bundle: 2\n")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("steward-bundle")));
        send("/api/v1/configuration/bundle", "steward-bundle: 1\nsegments:\n  a: [1, 2]\n")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("segments.a")));
        send("/api/v1/configuration/bundle", "steward-bundle: 1\nsegments: [\n")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("bundle")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("is not YAML")));
        send("/api/v1/configuration/bundle", "steward-bundle: 1\n#" + "x".repeat(2 * 1024 * 1024))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].reason", containsString("a bundle may have at most 2097152")));
    }

    @Test
    void aSandboxesBundleIsPulledOverItsApiAndPreviewed() throws Exception {
        String segment = SEGMENT.replace("Bundle miners", "Sandbox miners");
        sandbox.stubFor(get(urlEqualTo("/api/v1/configuration/bundle"))
                .withHeader("Authorization", equalTo("Bearer stw_sandbox"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/yaml")
                        .withBody(bundle(Map.of("segments", Map.of("Sandbox miners", segment))))));
        sandbox.stubFor(get(urlEqualTo("/api/v1/configuration/bundle"))
                .withHeader("Authorization", equalTo("Bearer stw_wrong"))
                .willReturn(aResponse().withStatus(401)));

        promote("stw_sandbox")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.applied", is(false)))
                .andExpect(jsonPath("$.documents[?(@.name == 'Sandbox miners')].change", hasItem("added")));
        promote("stw_wrong")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("apiKey")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("the sandbox refused it (401)")));
    }

    @Test
    void thePageShowsWhatABundleWouldChangeAndOnlyAdministratorsSeeIt() throws Exception {
        String segment = SEGMENT.replace("Bundle miners", "Page miners");
        mvc.perform(post("/settings/configuration")
                        .with(csrf())
                        .param("action", "preview")
                        .param("bundle", bundle(Map.of("segments", Map.of("Page miners", segment)))))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Preview: nothing changed yet.")))
                .andExpect(content().string(containsString("1 added")))
                .andExpect(content().string(containsString("Page miners")));
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get(
                                "/api/v1/configuration/bundle")
                        .with(user("csm@example.com").roles("CSM")))
                .andExpect(status().isForbidden());
    }

    private ResultActions promote(String key) throws Exception {
        return mvc.perform(post("/api/v1/configuration/promotion")
                .with(csrf())
                .contentType("application/json")
                .content("{\"url\": \"" + sandbox.baseUrl() + "\", \"apiKey\": \"" + key + "\"}"));
    }

    private static String withoutHeader(String bundle) {
        assertThat(bundle).startsWith("# Steward configuration bundle, exported ");
        return bundle.substring(bundle.indexOf('\n') + 1);
    }

    private String export() throws Exception {
        return mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get(
                        "/api/v1/configuration/bundle"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
    }

    private ResultActions send(String path, String bundle) throws Exception {
        return mvc.perform(
                post(path).with(csrf()).contentType("application/yaml").content(bundle));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, String>> read(String bundle) {
        return (Map<String, Map<String, String>>) new Yaml().load(bundle);
    }

    private static String bundle(Map<String, Map<String, String>> kinds) {
        Map<String, Object> bundle = new java.util.LinkedHashMap<>();
        bundle.put("steward-bundle", 1);
        bundle.putAll(kinds);
        return new Yaml().dump(bundle);
    }
}
