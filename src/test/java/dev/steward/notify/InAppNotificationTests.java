package dev.steward.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserManagement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * The in-app side, through MockMvc on the usual test application (no SMTP server configured): the bell on every
 * page, the list, marking read, preferences; administrators' webhook API; and email kept, not lost, while off.
 */
@StewardTest
class InAppNotificationTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    Notifications notifications;

    @Autowired
    UserManagement users;

    @Autowired
    UserDetailsService userDetails;

    @Autowired
    JdbcClient jdbc;

    @Test
    void theBellCountsUnreadNotificationsOnEveryPageAndMarkingReadLowersIt() throws Exception {
        User ivy = users.createIfAbsent("ivy.bell@example.com", "Ivy Bell", Role.CSM);
        for (String account : List.of("Acme", "Globex", "Initech")) {
            notifications.send(Notification.of(ivy.id(), "cta.assigned", account + " is yours", "New CTA.")
                    .withLink("/accounts?q=" + account));
        }

        mvc.perform(get("/settings/api-keys").with(as(ivy)))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("data-testid=\"notifications-bell\"")))
                .andExpect(content().string(containsString("data-testid=\"unread-count\">3<")));

        String list = mvc.perform(get("/api/v1/notifications").with(as(ivy)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items", hasSize(3)))
                .andExpect(jsonPath("$.items[0].subject", is("Initech is yours")))
                .andExpect(jsonPath("$.items[0].readAt").doesNotExist())
                .andReturn()
                .getResponse()
                .getContentAsString();
        String newest = JsonPath.read(list, "$.items[0].id");

        mvc.perform(post("/api/v1/notifications/" + newest + "/read")
                        .with(as(ivy))
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.readAt").exists());
        mvc.perform(get("/notifications").with(as(ivy)))
                .andExpect(content().string(containsString("data-testid=\"unread-count\">2<")))
                .andExpect(content().string(containsString("Globex is yours")));
        mvc.perform(get("/api/v1/notifications/unread-count").with(as(ivy))).andExpect(jsonPath("$.unread", is(2)));

        // Opening one from the page marks it read and goes where it points.
        String oldest = JsonPath.read(list, "$.items[2].id");
        mvc.perform(post("/notifications/" + oldest + "/open").with(as(ivy)).with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andExpect(header().string("Location", "/accounts?q=Acme"));

        mvc.perform(post("/notifications/read-all").with(as(ivy)).with(csrf())).andExpect(status().is3xxRedirection());
        mvc.perform(get("/notifications").with(as(ivy)))
                .andExpect(content().string(containsString("data-testid=\"notifications-bell\"")))
                .andExpect(content().string(not(containsString("data-testid=\"unread-count\""))));
        mvc.perform(get("/api/v1/notifications?unread=true").with(as(ivy))).andExpect(jsonPath("$.items", hasSize(0)));
    }

    @Test
    void theListPagesNewestFirstWithACursor() throws Exception {
        User jan = users.createIfAbsent("jan.pages@example.com", "Jan Pages", Role.CSM);
        for (int i = 1; i <= 3; i++) {
            notifications.send(Notification.of(jan.id(), "cta.assigned", "Number " + i, ""));
        }
        String first = mvc.perform(get("/api/v1/notifications?limit=2").with(as(jan)))
                .andExpect(jsonPath("$.items[*].subject", is(List.of("Number 3", "Number 2"))))
                .andExpect(jsonPath("$.next").exists())
                .andReturn()
                .getResponse()
                .getContentAsString();
        mvc.perform(get("/api/v1/notifications?limit=2&cursor=" + JsonPath.read(first, "$.next"))
                        .with(as(jan)))
                .andExpect(jsonPath("$.items[*].subject", is(List.of("Number 1"))))
                .andExpect(jsonPath("$.next").doesNotExist());
        mvc.perform(get("/api/v1/notifications?limit=500").with(as(jan)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field", is("limit")));
    }

    @Test
    void nobodyMarksAnotherPersonsNotificationButAViewerMarksTheirOwn() throws Exception {
        User kim = users.createIfAbsent("kim.viewer@example.com", "Kim Viewer", Role.VIEWER);
        User lea = users.createIfAbsent("lea.other@example.com", "Lea Other", Role.CSM);
        notifications.send(Notification.of(kim.id(), "report.ready", "Your report is ready", ""));
        UUID kims = jdbc.sql("select id from notify_notification where recipient_id = ?")
                .param(kim.id())
                .query(UUID.class)
                .single();

        mvc.perform(post("/api/v1/notifications/" + kims + "/read")
                        .with(as(lea))
                        .with(csrf()))
                .andExpect(status().isNotFound());
        mvc.perform(post("/api/v1/notifications/" + kims + "/read")
                        .with(as(kim))
                        .with(csrf()))
                .andExpect(status().isOk());
        mvc.perform(put("/api/v1/notifications/preferences")
                        .with(as(kim))
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"email\": \"off\"}"))
                .andExpect(status().isOk());
    }

    @Test
    void preferencesAreReadAndChangedAndABadModeIsRefusedNamingTheField() throws Exception {
        User max = users.createIfAbsent("max.prefs@example.com", "Max Prefs", Role.CSM);
        mvc.perform(get("/api/v1/notifications/preferences").with(as(max)))
                .andExpect(jsonPath("$.email", is("immediate")));

        mvc.perform(put("/api/v1/notifications/preferences")
                        .with(as(max))
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"email\": \"daily\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.email", is("daily")));
        mvc.perform(get("/api/v1/notifications/preferences").with(as(max))).andExpect(jsonPath("$.email", is("daily")));

        mvc.perform(put("/api/v1/notifications/preferences")
                        .with(as(max))
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"email\": \"weekly\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field", is("email")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("immediate daily off")));
        mvc.perform(put("/api/v1/notifications/preferences")
                        .with(as(max))
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{}"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("email")));
        mvc.perform(post("/notifications/preferences")
                        .param("email", "hourly")
                        .with(as(max))
                        .with(csrf()))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("email: &#39;hourly&#39; is not one of")));
        mvc.perform(get("/api/v1/notifications/preferences").with(as(max))).andExpect(jsonPath("$.email", is("daily")));
    }

    @Test
    void onlyAdministratorsManageWebhooksAndABadUrlIsRefusedNamingTheField() throws Exception {
        User nia = users.createIfAbsent("nia.admin@example.com", "Nia Admin", Role.ADMIN);
        User ola = users.createIfAbsent("ola.csm@example.com", "Ola Csm", Role.CSM);
        String good = "{\"url\": \"https://hooks.example.com/steward\", \"kinds\": [\"cta.*\"]}";

        mvc.perform(post("/api/v1/webhooks")
                        .with(as(ola))
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(good))
                .andExpect(status().isForbidden());
        mvc.perform(get("/settings/webhooks").with(as(ola))).andExpect(status().isForbidden());

        mvc.perform(post("/api/v1/webhooks")
                        .with(as(nia))
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"url\": \"ftp://files.example.com/x\", \"kinds\": [\"Bad Kind\"]}"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("url")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("http:// or https://")))
                .andExpect(jsonPath("$.errors[1].field", is("kinds[0]")));

        String created = mvc.perform(post("/api/v1/webhooks")
                        .with(as(nia))
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(good))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.secret", containsString("whsec_")))
                .andReturn()
                .getResponse()
                .getContentAsString();
        String id = JsonPath.read(created, "$.endpoint.id");
        String secret = JsonPath.read(created, "$.secret");
        mvc.perform(get("/api/v1/webhooks/" + id).with(as(nia)))
                .andExpect(jsonPath("$.secret").doesNotExist())
                .andExpect(jsonPath("$.secretHint", is("…" + secret.substring(secret.length() - 4))))
                .andExpect(content().string(not(containsString(secret))));
        mvc.perform(get("/settings/webhooks").with(as(nia)))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("https://hooks.example.com/steward")));
        mvc.perform(post("/settings/webhooks")
                        .param("url", "mailto:someone@example.com")
                        .param("kinds", "cta.*")
                        .with(as(nia))
                        .with(csrf()))
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().string(containsString("url: must start with http:// or https://")));
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete("/api/v1/webhooks/" + id)
                        .with(as(nia))
                        .with(csrf()))
                .andExpect(status().isNoContent());
    }

    @Test
    void withoutAnSmtpServerEmailIsKeptAsNotConfiguredAndShownToAdministrators() throws Exception {
        User pat = users.createIfAbsent("pat.nomail@example.com", "Pat Nomail", Role.CSM);
        User admin = users.createIfAbsent("quinn.admin@example.com", "Quinn Admin", Role.ADMIN);
        notifications.send(Notification.of(pat.id(), "cta.escalated", "Kept while email is off", "Kept."));

        String status = await().until(
                        () -> jdbc.sql("""
                                        select d.status from notify_delivery d
                                          join notify_notification n on n.id = d.notification_id
                                         where n.recipient_id = ?
                                        """).param(pat.id()).query(String.class).single(), s -> !s.equals("pending"));
        assertThat(status).isEqualTo("not_configured");

        mvc.perform(get("/settings/outbox").with(as(admin)))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("data-testid=\"email-off\"")))
                .andExpect(content().string(containsString("Kept while email is off")))
                .andExpect(content().string(containsString("not configured")));
    }

    @Test
    void aPrincipalWithoutAUserRowHasNoBellAndNoNotifications() throws Exception {
        mvc.perform(get("/api/v1/notifications").with(user("robot").roles("CSM")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items", hasSize(0)))
                .andExpect(jsonPath("$.next").doesNotExist());
    }

    private RequestPostProcessor as(User user) {
        return user(userDetails.loadUserByUsername(user.email()));
    }
}
