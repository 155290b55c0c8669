package dev.steward.playbook;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.steward.core.StewardTest;
import dev.steward.identity.Role;
import dev.steward.identity.UserManagement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The Playbooks pages as a manager sees them: the shipped playbooks installed from the list, a playbook's editor with
 * its history and its report (inconclusive, with the reason, when there is no control group), the live check and the
 * dry run that point at the line and field of a problem, and a new playbook saved and published. On a database of its
 * own: published playbooks would make CTAs for other tests' accounts.
 */
@StewardTest
@TestPropertySource(properties = "steward.test.playbook-pages=own-database")
@WithMockUser(username = "mia.pages@example.com", roles = "MANAGER")
class PlaybookPagesTests {

    private static final String PURPLE = """
            name: Purple alert
            trigger:
              type: health_color
              color: purple
            cta:
              type: risk
              title: "{account} turned purple"
              priority: high
              slaDays: 2
              owner: csm
            tasks:
              - title: Call them
                dueDays: 1
                assignee: csm
            """;

    @Autowired
    MockMvc mvc;

    @Autowired
    UserManagement users;

    @BeforeEach
    void manager() {
        users.createIfAbsent("mia.pages@example.com", "Mia Pages", Role.MANAGER);
    }

    @Test
    void theShippedPlaybooksAreInstalledFromTheListAndEachOpensInItsEditorWithItsReport() throws Exception {
        mvc.perform(get("/playbooks"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Install shipped playbooks")));
        mvc.perform(post("/playbooks/shipped/install").with(csrf()))
                .andExpect(redirectedUrl("/playbooks"))
                .andExpect(flash().attribute("installed", hasItem("At-risk intervention")));
        mvc.perform(get("/playbooks"))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("data-name=\"At-risk intervention\""),
                                containsString("Health turns red"),
                                containsString("v1 published"),
                                not(containsString("Install shipped playbooks")))));

        mvc.perform(get("/playbooks/{name}", "At-risk intervention"))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("data-testid=\"yaml-editor\""),
                                containsString("title: &quot;{account} turned Red&quot;"),
                                containsString(">on: version 1<"),
                                containsString("data-testid=\"run-now\""),
                                containsString("data-testid=\"switch-off\""),
                                containsString("data-version=\"1\""),
                                // No CTA and no control group yet: nothing measured, and the page says why.
                                containsString("not measured"),
                                containsString(">inconclusive<"),
                                containsString("no control group: give the playbook a controlPercent to measure what it"
                                        + " changes"),
                                containsString("within SLA: none closed yet"))));
    }

    @Test
    void theCheckAndTheDryRunPointAtTheLineAndFieldOfAProblem() throws Exception {
        mvc.perform(post("/playbooks/check").param("yaml", PURPLE).with(csrf()))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("1 problem"),
                                containsString("Line 4, column 10 — "),
                                containsString("<code>trigger.color</code>"),
                                containsString("is &#39;purple&#39;; use one of [red, yellow, green]"))));
        mvc.perform(post("/playbooks/dry-run").param("yaml", PURPLE).with(csrf()))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("It cannot run: fix these first."),
                                containsString("Line 4, column 10 — "),
                                containsString("<code>trigger.color</code>"),
                                not(containsString("accounts triggered")))));
    }

    @Test
    void aDryRunShowsWhatItWouldDoAndReplaysThePastWhereItIsKept() throws Exception {
        mvc.perform(post("/playbooks/dry-run")
                        .param("yaml", PURPLE.replace("color: purple", "color: red"))
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("Health turns red, on current data; nothing was written"),
                                containsString("accounts triggered"),
                                containsString("CTAs it would make"),
                                containsString("Replayed over the past year"),
                                containsString("data-testid=\"replay-chart\""))));
        mvc.perform(post("/playbooks/dry-run")
                        .param(
                                "yaml",
                                PURPLE.replace("type: health_color\n  color: purple", "type: renewal\n  days: 90"))
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("Renewal in 90 days"),
                                containsString("Replayed over the past year"),
                                containsString("data-testid=\"replay-chart\""),
                                not(containsString("Not replayed")))));
        mvc.perform(post("/playbooks/dry-run")
                        .param(
                                "yaml",
                                PURPLE.replace(
                                        "type: health_color\n  color: purple",
                                        "type: score_drop\n  points: 10\n  days: 30"))
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("Score drops 10 points within 30 days"),
                                containsString("Not replayed: a score_drop trigger cannot be replayed"),
                                not(containsString("data-testid=\"replay-chart\"")))));
    }

    @Test
    void aNewPlaybookIsSavedAsADraftFixedAndPublished() throws Exception {
        mvc.perform(get("/playbooks/new"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("name: Champion left")));
        mvc.perform(post("/playbooks").param("yaml", PURPLE).with(csrf()))
                .andExpect(redirectedUrl("/playbooks/Purple%20alert"));
        mvc.perform(get("/playbooks/{name}", "Purple alert"))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("not published yet"),
                                containsString("has problems: fix them and save a new draft to publish"),
                                containsString("Line 4, column 10 — "))));
        mvc.perform(post("/playbooks/{name}/versions/1/publish", "Purple alert").with(csrf()))
                .andExpect(redirectedUrl("/playbooks/Purple%20alert"))
                .andExpect(flash().attribute("refusal", contains(containsString("trigger.color: line 4, column 10"))));
        mvc.perform(post("/playbooks/{name}/versions", "Purple alert")
                        .param("yaml", PURPLE.replace("color: purple", "color: yellow"))
                        .with(csrf()))
                .andExpect(redirectedUrl("/playbooks/Purple%20alert"));
        mvc.perform(post("/playbooks/{name}/versions/2/publish", "Purple alert").with(csrf()))
                .andExpect(redirectedUrl("/playbooks/Purple%20alert"))
                .andExpect(flash().attributeExists("published"));
        mvc.perform(get("/playbooks/{name}/diff", "Purple alert")
                        .param("from", "1")
                        .param("to", "2")
                        .header("HX-Request", "true"))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(containsString("-  color: purple"), containsString("+  color: yellow"))));
        mvc.perform(post("/playbooks/{name}/retire", "Purple alert").with(csrf()))
                .andExpect(flash().attribute("retired", true));
        mvc.perform(get("/playbooks/{name}", "Purple alert"))
                .andExpect(content().string(allOf(containsString(">switched off<"), not(containsString("run-now")))));
    }

    @Test
    void aViewerReadsButNeitherInstallsNorEdits() throws Exception {
        mvc.perform(
                        get("/playbooks/new")
                                .with(org.springframework.security.test.web.servlet.request
                                        .SecurityMockMvcRequestPostProcessors.user("vic.viewer@example.com")
                                        .roles("VIEWER")))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("Read only: ADMIN and MANAGER edit playbooks."),
                                not(containsString("data-testid=\"save-draft\"")))));
    }
}
