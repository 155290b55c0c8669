package dev.steward.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

/** The docs folder served as pages: rendered in the layout, links between docs and screenshots working. */
@StewardTest
@WithMockUser(roles = "CSM")
class DocumentationPagesTests {

    @Autowired
    MockMvc mvc;

    @Test
    void aDocIsRenderedWithItsLinksPointingAtStewardsOwnPages() throws Exception {
        String html = mvc.perform(get("/docs/api"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("<title>")))
                .andExpect(content().string(containsString("Documentation")))
                .andReturn()
                .getResponse()
                .getContentAsString();
        // api.md links "[lifecycle.md](lifecycle.md#where-to-see-it)": here it goes to the rendered page's heading.
        assertThat(html).contains("href=\"/docs/lifecycle#where-to-see-it\"").doesNotContain("href=\"lifecycle.md");
        mvc.perform(get("/docs/lifecycle"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("id=\"where-to-see-it\"")));
        // tables render as tables
        assertThat(html).contains("<table class=\"table");
    }

    @Test
    void screenshotsTheDocsShowAreServed() throws Exception {
        mvc.perform(get("/docs/cockpit"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("src=\"/docs/screenshots/cockpit.png\"")));
        // health.md writes its images as HTML, which is rewritten too
        mvc.perform(get("/docs/health"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("src=\"/docs/screenshots/health-panel.png\"")))
                .andExpect(content().string(not(containsString("src=\"screenshots/"))));
        mvc.perform(get("/docs/screenshots/cockpit.png"))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "image/png"));
    }

    @Test
    void unknownNamesAreNotFound() throws Exception {
        mvc.perform(get("/docs/no-such-doc")).andExpect(status().isNotFound());
        mvc.perform(get("/docs/..%2Fpom")).andExpect(status().is4xxClientError());
        mvc.perform(get("/docs/screenshots/nothing.png")).andExpect(status().isNotFound());
        mvc.perform(get("/docs/README")).andExpect(status().isNotFound());
    }

    @Test
    void theIndexListsEveryDocByTitle() throws Exception {
        mvc.perform(get("/docs"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("href=\"/docs/ingest-stripe\"")))
                .andExpect(content().string(containsString("Stripe webhooks")));
    }

    @Test
    void relativeLinksAreMappedAndOthersLeftAlone() {
        assertThat(Documentation.target("alerts.md")).isEqualTo("/docs/alerts");
        assertThat(Documentation.target("health.md#former-customers")).isEqualTo("/docs/health#former-customers");
        assertThat(Documentation.target("screenshots/a.png")).isEqualTo("/docs/screenshots/a.png");
        assertThat(Documentation.target("#section")).isEqualTo("#section");
        assertThat(Documentation.target("https://stripe.com/docs")).isEqualTo("https://stripe.com/docs");
        assertThat(Documentation.target("/api/docs")).isEqualTo("/api/docs");
    }
}
