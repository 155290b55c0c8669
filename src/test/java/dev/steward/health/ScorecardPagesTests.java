package dev.steward.health;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.DocumentVersion;
import dev.steward.core.StewardTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

@StewardTest
@WithMockUser(roles = "ADMIN")
class ScorecardPagesTests {

    @Autowired
    MockMvc mvc;

    @Test
    void theListShowsTheShippedScorecards() throws Exception {
        mvc.perform(get("/scorecards"))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("href=\"/scorecards/Enterprise\""),
                                containsString("href=\"/scorecards/Mid-Market\""),
                                containsString("href=\"/scorecards/SMB\""),
                                containsString("account.tier == &quot;SMB&quot;"),
                                containsString("version 1"))));
    }

    @Test
    void theEditorIsCheckedAsItIsTypedWithTheLineOfEachProblem() throws Exception {
        String ninety = smb().replaceFirst("weight: 20", "weight: 10");
        mvc.perform(post("/scorecards/SMB/validate").param("yaml", ninety).with(csrf()))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("Line 10, column"),
                                containsString("dimensions[0].measures"),
                                containsString("measure weights total 90, must be 100"),
                                not(containsString("<nav")))));
        mvc.perform(post("/scorecards/SMB/validate").param("yaml", smb()).with(csrf()))
                .andExpect(content().string(containsString("data-testid=\"valid\"")));
    }

    @Test
    void savingThroughThePageCreatesADraftThatCanThenBePublished() throws Exception {
        // As a browser sends a text area: lines end in CRLF.
        String yaml = namedAccounts(60, 40).replace("\n", "\r\n");
        mvc.perform(post("/scorecards/{name}/versions", "Named Accounts")
                        .param("yaml", yaml)
                        .with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrl("/scorecards/Named%20Accounts"));
        mvc.perform(get("/api/v1/scorecards/{name}/versions/1", "Named Accounts"))
                .andExpect(jsonPath("$.status", is("draft")))
                .andExpect(jsonPath("$.valid", is(true)))
                .andExpect(jsonPath("$.yaml", is(namedAccounts(60, 40))));
        mvc.perform(get("/scorecards/{name}", "Named Accounts"))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("Publish version 1"),
                                containsString("action=\"/scorecards/Named%20Accounts/versions/1/publish\""))));
        mvc.perform(get("/scorecards")).andExpect(content().string(containsString("/scorecards/Named%20Accounts")));

        mvc.perform(post("/scorecards/{name}/versions/1/publish", "Named Accounts")
                        .with(csrf()))
                .andExpect(status().is3xxRedirection());
        mvc.perform(get("/api/v1/scorecards/{name}/versions/1", "Named Accounts"))
                .andExpect(jsonPath("$.status", is("published")));
    }

    @Test
    void anInvalidDraftIsSavedButItsPublicationIsRefusedWithItsProblems() throws Exception {
        mvc.perform(post("/scorecards/{name}/versions", "Lopsided")
                        .param("yaml", namedAccounts(60, 30).replace("Named Accounts", "Lopsided"))
                        .with(csrf()))
                .andExpect(status().is3xxRedirection());
        mvc.perform(get("/scorecards/Lopsided"))
                .andExpect(content()
                        .string(allOf(
                                containsString("Line 9, column"),
                                containsString("measure weights total 90"),
                                containsString("disabled"))));
        mvc.perform(post("/scorecards/Lopsided/versions/1/publish").with(csrf()))
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().string(containsString("line 9, column 5: measure weights total 90")));
    }

    @Test
    void savingAnInvalidDraftCarriesHowManyProblemsItHasToTheWarning() throws Exception {
        // The warning itself is seen in ScorecardEditorBrowserTests: the page after the redirect reads the session.
        mvc.perform(post("/scorecards/{name}/versions", "Warned")
                        .param("yaml", namedAccounts(60, 30).replace("Named Accounts", "Warned"))
                        .with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andExpect(flash().attribute("savedProblems", 1))
                .andExpect(result -> org.assertj.core.api.Assertions.assertThat(
                                ((DocumentVersion) result.getFlashMap().get("saved")).valid())
                        .isFalse());
        mvc.perform(post("/scorecards/{name}/versions", "Warned")
                        .param("yaml", namedAccounts(70, 30).replace("Named Accounts", "Warned"))
                        .with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andExpect(flash().attribute("savedProblems", 0));
    }

    @Test
    void theFormViewChangesOneNumberOfTheYamlAndLeavesTheRestAsWritten() throws Exception {
        String yaml = "# Our named accounts\n" + namedAccounts(60, 40);
        mvc.perform(post("/scorecards/SMB/form").param("yaml", yaml).with(csrf()))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("data-field=\"dimensions[0].measures[1].weight\""),
                                containsString("data-field=\"dimensions[0].measures[0].score.linear.to\""),
                                containsString("data-field=\"thresholds.red\""))));
        mvc.perform(post("/scorecards/SMB/form/edit")
                        .param("yaml", yaml)
                        .param("field", "dimensions[0].measures[1].weight")
                        .param("value", "30")
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.yaml", is("# Our named accounts\n" + namedAccounts(60, 30))));
        mvc.perform(post("/scorecards/SMB/form/edit")
                        .param("yaml", yaml)
                        .param("field", "dimensions[0].weight")
                        .param("value", "a lot")
                        .with(csrf()))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.detail", is("dimensions[0].weight: must be a number, was 'a lot'")));
        mvc.perform(post("/scorecards/SMB/form")
                        .param("yaml", "name: [unclosed")
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("data-testid=\"form-refusal\"")));
    }

    @Test
    void publishingAsksFirstWithThePreviewsFigures() throws Exception {
        mvc.perform(post("/scorecards/{name}/versions", "Confirmed")
                        .param(
                                "yaml",
                                namedAccounts(70, 30)
                                        .replace("Named Accounts", "Confirmed")
                                        .replace("priority: 77", "priority: 78"))
                        .with(csrf()))
                .andExpect(status().is3xxRedirection());
        mvc.perform(get("/scorecards/Confirmed"))
                .andExpect(
                        content()
                                .string(
                                        allOf(
                                                containsString("data-testid=\"publish-confirm\""),
                                                containsString(
                                                        "data-preview-url=\"/scorecards/Confirmed/versions/1/preview?confirm=true\""))));
        mvc.perform(get("/scorecards/Confirmed/versions/1/preview?confirm=true").header("HX-Request", "true"))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("data-testid=\"confirmation-changed\""),
                                containsString("data-testid=\"confirmation-color\""),
                                not(containsString("<nav")))));
        // A version that could not be published says why instead, and offers no way to publish.
        mvc.perform(post("/scorecards/{name}/versions", "Clashing")
                        .param(
                                "yaml",
                                namedAccounts(70, 30)
                                        .replace("Named Accounts", "Clashing")
                                        .replace("priority: 77", "priority: 10"))
                        .with(csrf()))
                .andExpect(status().is3xxRedirection());
        mvc.perform(get("/scorecards/Clashing/versions/1/preview?confirm=true").header("HX-Request", "true"))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("data-testid=\"confirmation-refusal\""),
                                containsString("both have priority 10"))));
    }

    @Test
    void aDraftIsDeletedFromThePageAndAnyTwoVersionsCompared() throws Exception {
        for (int first : new int[] {50, 60, 70}) {
            mvc.perform(post("/scorecards/{name}/versions", "Pruned")
                            .param("yaml", namedAccounts(first, 100 - first).replace("Named Accounts", "Pruned"))
                            .with(csrf()))
                    .andExpect(status().is3xxRedirection());
        }
        mvc.perform(get("/scorecards/Pruned"))
                .andExpect(content()
                        .string(allOf(
                                containsString("<option value=\"2\" selected=\"selected\">2</option>"),
                                containsString("<option value=\"3\" selected=\"selected\">3</option>"),
                                containsString("action=\"/scorecards/Pruned/versions/2/delete\""))));
        mvc.perform(post("/scorecards/Pruned/versions/2/delete").with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrl("/scorecards/Pruned"));
        mvc.perform(get("/scorecards/Pruned/diff?from=1&to=3").header("HX-Request", "true"))
                .andExpect(content()
                        .string(allOf(containsString("-        weight: 50"), containsString("+        weight: 70"))));
        mvc.perform(get("/scorecards/Pruned")).andExpect(content().string(not(containsString("data-version=\"2\""))));
    }

    @Test
    void theDiffAndTheDownloadOfAVersion() throws Exception {
        mvc.perform(post("/scorecards/{name}/versions", "Diffed")
                        .param("yaml", namedAccounts(50, 50).replace("Named Accounts", "Diffed"))
                        .with(csrf()))
                .andExpect(status().is3xxRedirection());
        mvc.perform(post("/scorecards/{name}/versions", "Diffed")
                        .param("yaml", namedAccounts(70, 30).replace("Named Accounts", "Diffed"))
                        .with(csrf()))
                .andExpect(status().is3xxRedirection());
        mvc.perform(get("/scorecards/Diffed/diff?from=1&to=2").header("HX-Request", "true"))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("<span class=\"diff-removed\">-        weight: 50</span>"),
                                containsString("<span class=\"diff-added\">+        weight: 70</span>"),
                                not(containsString("<nav")))));
        mvc.perform(get("/scorecards/Diffed/versions/2/yaml"))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type", containsString("application/yaml")))
                .andExpect(header().string("Content-Disposition", containsString("attachment")))
                .andExpect(header().string("Content-Disposition", containsString("Diffed-v2.yaml")))
                .andExpect(content().string(containsString("weight: 70")));
    }

    @Test
    void aDraftIsPreviewedBeforePublishingWithTheAccountsThatWouldChangeColor() throws Exception {
        String account = JsonPath.read(
                mvc.perform(post("/api/v1/accounts")
                                .with(csrf())
                                .contentType("application/json")
                                .content("{\"name\": \"Quiet Co\", \"tier\": \"SMB\"}"))
                        .andExpect(status().isCreated())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.id");
        // Without usage or activity Quiet Co is Black; a draft that trusts any coverage gives it a color.
        String trusting = smb().replace("minimumCoverage: 0.6", "minimumCoverage: 0");
        DocumentVersion saved = (DocumentVersion) mvc.perform(
                        post("/scorecards/SMB/versions").param("yaml", trusting).with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getFlashMap()
                .get("saved");
        int draft = saved.version();
        mvc.perform(get("/scorecards/SMB"))
                .andExpect(
                        content().string(containsString("hx-get=\"/scorecards/SMB/versions/" + draft + "/preview\"")));

        // Other tests of this application context may have left accounts of their own: count on Quiet Co alone.
        mvc.perform(get("/scorecards/SMB/versions/" + draft + "/preview").header("HX-Request", "true"))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("data-testid=\"preview-changed\"><strong>"),
                                containsString("would change color"),
                                containsString("data-account=\"" + account + "\""),
                                containsString(">Quiet Co</a>"),
                                containsString("health-black\">black</span>"),
                                containsString(" v" + draft + "</td>"),
                                not(containsString("<nav")))));
    }

    @Test
    @WithMockUser(roles = "CSM")
    void aCsmReadsTheScorecardButMayNotSaveOrPublishIt() throws Exception {
        mvc.perform(get("/scorecards/SMB"))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("name: SMB"),
                                containsString("readonly"),
                                containsString("Read only"),
                                not(containsString("Save draft")),
                                not(containsString("Publish version")),
                                not(containsString("hx-post")))));
    }

    @Test
    void anAdministratorCreatesAScorecardFromTheFormAndSeesWhatWasRefusedBesideItsField() throws Exception {
        mvc.perform(get("/scorecards"))
                .andExpect(content()
                        .string(allOf(
                                containsString("data-testid=\"unassigned\""),
                                containsString("href=\"/scorecards/new\""))));
        mvc.perform(get("/scorecards/new").param("name", "Starter").param("appliesTo", "account.tier == \"Starter\""))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("value=\"Starter\""),
                                containsString("value=\"account.tier == &quot;Starter&quot;\""),
                                containsString("data-testid=\"template-data\" checked=\"checked\""))));
        mvc.perform(post("/scorecards/new")
                        .param("name", "Star/ter")
                        .param("appliesTo", "account.tier == \"Starter\"")
                        .param("priority", "ten")
                        .param("template", "blank")
                        .with(csrf()))
                .andExpect(status().isUnprocessableContent())
                .andExpect(content()
                        .string(allOf(
                                containsString("priority: &#39;ten&#39; is not a whole number"),
                                containsString("value=\"Star/ter\""))));
        mvc.perform(post("/scorecards/new")
                        .param("name", "Star/ter")
                        .param("appliesTo", "account.tier == \"Starter\"")
                        .param("template", "blank")
                        .with(csrf()))
                .andExpect(status().isUnprocessableContent())
                .andExpect(content()
                        .string(containsString(
                                "data-testid=\"error-name\">may hold letters, digits, spaces and - _ . &amp; ( ) only;"
                                        + " &#39;/&#39; at position 5 is not allowed")));
        mvc.perform(post("/scorecards/new")
                        .param("name", "Starter")
                        .param("appliesTo", "account.tier == \"Starter\"")
                        .param("template", "blank")
                        .param("copyOf", "SMB")
                        .param("asOf", "")
                        .with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrl("/scorecards/Starter"))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash()
                        .attribute(
                                "created",
                                "Created scorecard Starter from the skeleton. Version 1 is a draft: check it, preview"
                                        + " it, then publish it."));
        mvc.perform(post("/scorecards/new")
                        .param("name", "starter")
                        .param("appliesTo", "true")
                        .param("template", "blank")
                        .with(csrf()))
                .andExpect(status().isConflict())
                .andExpect(content().string(containsString("A scorecard named &#39;Starter&#39; exists already")));
    }

    @Test
    @WithMockUser(roles = "MANAGER")
    void aManagerIsNotOfferedToCreateAScorecard() throws Exception {
        mvc.perform(get("/scorecards"))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("data-testid=\"unassigned\""),
                                not(containsString("New scorecard")),
                                not(containsString("Create a scorecard for them")))));
        mvc.perform(get("/scorecards/new"))
                .andExpect(content()
                        .string(allOf(containsString("Only an ADMIN creates"), not(containsString("Create draft")))));
        mvc.perform(post("/scorecards/new")
                        .param("name", "Managed")
                        .param("appliesTo", "true")
                        .param("template", "blank")
                        .with(csrf()))
                .andExpect(status().isForbidden());
    }

    private static String smb() throws Exception {
        return new ClassPathResource("health/scorecards/smb.yaml").getContentAsString(StandardCharsets.UTF_8);
    }

    /** A one-dimension scorecard whose two measures weigh {@code first} and {@code second}. */
    private static String namedAccounts(int first, int second) {
        return """
                name: Named Accounts
                appliesTo: account.tier == "Named"
                priority: 77
                thresholds: { red: 40, yellow: 70 }
                minimumCoverage: 0.6
                dimensions:
                  - name: Product
                    weight: 100
                    measures:
                      - name: Login frequency
                        metric: logins
                        aggregate: sum
                        window: 30d
                        weight: %d
                        score: { linear: { from: 0, to: 100 } }
                      - name: Active users
                        metric: active_users
                        aggregate: average
                        window: 30d
                        weight: %d
                        score: { linear: { from: 0, to: 10 } }
                """.formatted(first, second);
    }
}
