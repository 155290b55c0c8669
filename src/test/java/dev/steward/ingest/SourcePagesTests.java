package dev.steward.ingest;

import static org.assertj.core.api.Assertions.assertThat;
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
import dev.steward.core.TestClock;
import java.time.ZoneOffset;
import java.util.List;
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

    @Autowired
    Sources sources;

    @Autowired
    SourceVolumes volumes;

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
        mvc.perform(get("/sources/page-made"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("value=\"http://localhost\"")))
                .andExpect(content().string(containsString("data-testid=\"volume-no-data\"")));
    }

    @Test
    void theMappingFormSavesRowsAndRefusesEachBadRowWithItsReason() throws Exception {
        mvc.perform(post("/sources").with(csrf()).param("name", "mapped")).andExpect(status().is3xxRedirection());
        mvc.perform(post("/sources/mapped/mapping")
                        .with(csrf())
                        .param("kind", "events", "traits", "events")
                        .param("from", "Signed In", "plan", "Report Created")
                        .param("to", "logins", "logins", "reports_created"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Not saved")))
                .andExpect(content().string(containsString("a group trait fills an account field")))
                .andExpect(content().string(containsString("unknown metric &#39;reports_created&#39;")))
                // the form comes back as typed
                .andExpect(content().string(containsString("value=\"Report Created\"")));
        mvc.perform(get("/api/v1/sources/mapped"))
                .andExpect(jsonPath("$.settings.events").doesNotExist());

        mvc.perform(post("/sources/mapped/mapping")
                        .with(csrf())
                        .param("kind", "events", "traits")
                        .param("from", "Signed In", "plan")
                        .param("to", "logins", "tier")
                        .param("keyFeature", "0"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Saved.")));
        mvc.perform(get("/api/v1/sources/mapped"))
                .andExpect(jsonPath("$.settings.events['Signed In']").value("logins"))
                .andExpect(jsonPath("$.settings.traits.plan").value("tier"))
                .andExpect(jsonPath("$.settings.keyFeatures[0]").value("logins"));
    }

    @Test
    void volumePerDayCountsWhatWasStoredAndRejectedOverThePeriod() throws Exception {
        mvc.perform(post("/sources").with(csrf()).param("name", "counted")).andExpect(status().is3xxRedirection());
        Source source = sources.get("counted");
        sources.received(source, 5, List.of(new Rejection("batch[0]", "timestamp", "not a date", null)));
        sources.received(source, 2, List.of());
        SourceVolumes.Volume month = volumes.of(source.id(), 30);
        assertThat(month.perDay()).hasSize(30);
        assertThat(month.perDay().get(29))
                .isEqualTo(new SourceVolumes.Day(
                        TestClock.NOW.atZone(ZoneOffset.UTC).toLocalDate(), 7, 1, 0));
        assertThat(month.hasData()).isTrue();
        assertThat(volumes.of(source.id(), 90).perDay()).hasSize(90);
        assertThat(volumes.of(source.id(), 7).days())
                .as("only the periods offered")
                .isEqualTo(30);
        mvc.perform(get("/sources/counted").param("days", "90"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("7 stored, 1 rejected, 0 set aside")))
                .andExpect(content().string(containsString("data-stored=\"0,")))
                .andExpect(content().string(containsString(",7\"")));
    }
}
