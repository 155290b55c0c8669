package dev.steward.ingest;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.steward.core.StewardTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

@StewardTest
@WithMockUser(roles = "ADMIN")
class SourcePagesTests {

    @Autowired
    MockMvc mvc;

    @Test
    void theApiCreatesSourcesAndWriteKeysShowingTheKeyOnce() throws Exception {
        mvc.perform(post("/api/v1/sources")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"name": "api-made", "kind": "segment",
                                 "settings": {"events": {"Signed In": "logins"}}}"""))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.settings.events['Signed In']").value("logins"));
        mvc.perform(post("/api/v1/sources/api-made/write-keys")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"production\"}"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.writeKey").isString())
                .andExpect(jsonPath("$.key.prefix").isString());
        mvc.perform(get("/api/v1/sources/api-made/write-keys"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].name").value("production"))
                .andExpect(jsonPath("$[0].writeKey").doesNotExist());
        mvc.perform(post("/api/v1/sources")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"Bad Name\", \"kind\": \"segment\", \"settings\": {\"events\": 3}}"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field").value("name"))
                .andExpect(jsonPath("$.errors[1].field").value("events"));
        mvc.perform(get("/api/v1/sources/api-made/status"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.days.length()").value(14))
                .andExpect(jsonPath("$.held").value(0));
    }

    @Test
    void onlyAdministratorsChangeSources() throws Exception {
        mvc.perform(post("/api/v1/sources")
                        .with(csrf())
                        .with(user("csm").roles("CSM"))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"csm-made\", \"kind\": \"segment\"}"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/api/v1/sources")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"csm-sees\", \"kind\": \"segment\"}"))
                .andExpect(status().isCreated());
        mvc.perform(get("/sources/csm-sees").with(user("csm").roles("CSM")))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("csm-sees")))
                .andExpect(content().string(not(containsString("Create write key"))));
        mvc.perform(post("/api/v1/sources/csm-sees/write-keys")
                        .with(csrf())
                        .with(user("csm").roles("CSM")))
                .andExpect(status().isForbidden());
    }

    @Test
    void thePageShowsWhatASourceDelivered() throws Exception {
        mvc.perform(post("/sources").with(csrf()).param("name", "page-made")).andExpect(status().is3xxRedirection());
        mvc.perform(post("/sources/page-made/write-keys").with(csrf()).param("keyName", "staging"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("shown only this once")));
        mvc.perform(get("/sources"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("page-made")));
        mvc.perform(post("/sources/page-made/settings").with(csrf()).param("settings", "{\"events\": "))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("not valid JSON")));
    }
}
