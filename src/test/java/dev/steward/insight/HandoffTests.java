package dev.steward.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import com.lowagie.text.pdf.PdfReader;
import com.lowagie.text.pdf.parser.PdfTextExtractor;
import dev.steward.core.Browsers;
import dev.steward.core.StewardTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The admin hand-off document: the configuration this test publishes, a source with its freshness and a
 * troubleshooting entry for a finding the test causes, on the page and in the PDF; administrators only.
 */
@StewardTest
@WithUserDetails(Browsers.ADMIN_EMAIL)
class HandoffTests {

    private static final String SCORECARD = """
            name: Handoff Logins
            appliesTo: account.tier == "Handoff-Tier"
            priority: 73
            thresholds: { red: 35, yellow: 65 }
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

    @Autowired
    MockMvc mvc;

    @Test
    void thePageStatesTheConfigurationTheSourcesAndWhatToFixAsOfNow() throws Exception {
        publish("scorecards", "Handoff Logins", SCORECARD);
        publish("segments", "Handoff miners", """
                name: Handoff miners
                description: Mining accounts for the hand-off
                condition: account.industry == "Handoff-Mining"
                """);
        mvc.perform(post("/api/v1/sources")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"handoff-segment\", \"kind\": \"segment\"}"))
                .andExpect(status().isCreated());
        String account = unassignedAccount();

        String page = mvc.perform(get("/settings/handoff"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);

        assertThat(between(page, "data-testid=\"handoff-generated\"", "</p>"))
                .contains("18 Mar 2026 10:15")
                .contains("Steward version");
        String scorecard =
                document(between(page, "handoff-kind-scorecards", "handoff-kind-playbooks"), "Handoff Logins");
        assertThat(scorecard)
                .contains("v1 published")
                .contains("Applies to: account.tier == &quot;Handoff-Tier&quot; (priority 73)")
                .contains("Red up to 35, Yellow up to 65")
                .contains("Product: weight 100 (1 measure)")
                .contains("<summary>Full YAML</summary>")
                .contains("window: 30d");
        assertThat(document(between(page, "handoff-kind-segments", "handoff-kind-lifecycle"), "Handoff miners"))
                .contains("v1 published", "Mining accounts for the hand-off");
        assertThat(page).contains("href=\"/settings/configuration\"");

        String source = between(page, "data-source=\"handoff-segment\"", "</tr>");
        assertThat(source).contains(">segment</td>").contains(">never</td>");
        assertThat(between(source, "handoff-source-state", "</span>")).endsWith(">missing");
        assertThat(between(page, "data-testid=\"handoff-kinds\"", "</table>"))
                .contains("Usage", "Support", "Billing", "Engagement", "CRM");

        String troubleshooting = between(page, "id=\"troubleshooting\"", "id=\"people\"");
        assertThat(troubleshooting).doesNotContain("handoff-no-findings");
        String unassigned = between(troubleshooting, "Customers no scorecard applies to", "</a>");
        assertThat(unassigned)
                .as("the entry for customers without a scorecard, such as account " + account)
                .containsPattern("\\d+ accounts?</span>")
                .contains("What to do:")
                .contains("href=\"/scorecards#unassigned\"");
        assertThat(between(troubleshooting, "Source handoff-segment has delivered nothing yet", "</a>"))
                .contains("href=\"/sources/handoff-segment\"");
        assertThat(between(page, "data-testid=\"handoff-people\"", "</table>")).contains(">ADMIN<");
        assertThat(page).as("strict CSP: no inline scripts").doesNotContainPattern("<script(?![^>]*\\ssrc=)");

        // The PDF: the same document, with the scorecard's name and where to get the full bundle.
        byte[] pdf = mvc.perform(get("/settings/handoff.pdf"))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "application/pdf"))
                .andExpect(header().string(
                                "Content-Disposition",
                                org.hamcrest.Matchers.containsString("steward-handoff-2026-03-18.pdf")))
                .andReturn()
                .getResponse()
                .getContentAsByteArray();
        assertThat(new String(pdf, 0, 5, StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
        String text = text(pdf);
        assertThat(text)
                .contains("Steward admin hand-off")
                .contains("Handoff Logins")
                .contains("handoff-segment")
                .contains("Customers no scorecard applies to")
                .contains("/settings/configuration/bundle.yaml");
    }

    @Test
    void onlyAdministratorsMayOpenIt() throws Exception {
        for (String role : new String[] {"MANAGER", "CSM"}) {
            mvc.perform(get("/settings/handoff")
                            .with(user("handoff." + role + "@example.com").roles(role)))
                    .andExpect(status().isForbidden());
            mvc.perform(get("/settings/handoff.pdf")
                            .with(user("handoff." + role + "@example.com").roles(role)))
                    .andExpect(status().isForbidden());
        }
    }

    /** The text of one document's card within a kind's section. */
    private static String document(String kind, String name) {
        int at = kind.indexOf(">" + name + "</span>");
        assertThat(at).as(name + " is listed").isNotNegative();
        int next = kind.indexOf("data-testid=\"handoff-document\"", at);
        return next < 0 ? kind.substring(at) : kind.substring(at, next);
    }

    /** The text from the first {@code from} up to the next {@code to} after it. */
    private static String between(String text, String from, String to) {
        int start = text.indexOf(from);
        assertThat(start).as("'" + from + "' is on the page").isNotNegative();
        int end = text.indexOf(to, start + from.length());
        return end < 0 ? text.substring(start) : text.substring(start, end);
    }

    private void publish(String kind, String name, String yaml) throws Exception {
        mvc.perform(post("/api/v1/" + kind + "/{name}/versions", name)
                        .with(csrf())
                        .contentType("application/yaml")
                        .content(yaml))
                .andExpect(status().isCreated());
        mvc.perform(post("/api/v1/" + kind + "/{name}/versions/1/publish", name).with(csrf()))
                .andExpect(status().is2xxSuccessful());
    }

    /** An account of a tier no scorecard applies to, once its re-score has said so. */
    private String unassignedAccount() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String created = mvc.perform(post("/api/v1/accounts")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"Handoff %s\", \"tier\": \"Nowhere %s\"}".formatted(suffix, suffix)))
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getContentAsString();
        String id = JsonPath.read(created, "$.id");
        await("the new account's re-score")
                .pollInSameThread()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> mvc.perform(get("/api/v1/accounts/{id}", id))
                                .andReturn()
                                .getResponse()
                                .getContentAsString(),
                        body -> "no-scorecard".equals(JsonPath.read(body, "$.unscored.status")));
        return id;
    }

    private static String text(byte[] pdf) throws Exception {
        PdfReader reader = new PdfReader(pdf);
        try {
            PdfTextExtractor extractor = new PdfTextExtractor(reader);
            StringBuilder text = new StringBuilder();
            for (int page = 1; page <= reader.getNumberOfPages(); page++) {
                text.append(extractor.getTextFromPage(page)).append('\n');
            }
            return text.toString();
        } finally {
            reader.close();
        }
    }
}
