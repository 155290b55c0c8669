package dev.steward.identity;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.steward.core.StewardTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * What a session may do was decided when its user signed in; when an administrator disables, demotes or resets that
 * user, the user's open sessions end at once instead of carrying on with what they no longer may do.
 */
@StewardTest
class SessionRevocationTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    UserManagement users;

    @Test
    void aDisabledUsersOpenSessionCanNoLongerWriteOrMintApiKeys() throws Exception {
        User user = users.createIfAbsent("dana.disabled@example.com", "Dana", Role.MANAGER, "dana's long password");
        BrowserSession dana = signIn("dana.disabled@example.com", "dana's long password");
        createAccount(dana, "Before Disabling").andExpect(status().isCreated());

        change(user, "{\"enabled\": false}");

        createAccount(dana, "After Disabling").andExpect(status().isUnauthorized());
        mvc.perform(post("/api/v1/api-keys")
                        .with(dana)
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"escape hatch\", \"scope\": \"read_write\"}"))
                .andExpect(status().isUnauthorized());
        mvc.perform(get("/accounts").with(dana)).andExpect(redirectedUrl("/login"));
    }

    @Test
    void aManagerDemotedToViewerCanNoLongerWrite() throws Exception {
        User user = users.createIfAbsent("mo.manager@example.com", "Mo", Role.MANAGER, "mo's long password!");
        BrowserSession mo = signIn("mo.manager@example.com", "mo's long password!");
        createAccount(mo, "Written As Manager").andExpect(status().isCreated());

        change(user, "{\"role\": \"VIEWER\"}");

        createAccount(mo, "Written As Viewer").andExpect(status().isUnauthorized());
        BrowserSession again = signIn("mo.manager@example.com", "mo's long password!");
        createAccount(again, "Written As Viewer").andExpect(status().isForbidden());
    }

    @Test
    void aPasswordResetByAnAdministratorEndsTheUsersSessions() throws Exception {
        User user = users.createIfAbsent("rey.reset@example.com", "Rey", Role.CSM, "rey's long password");
        BrowserSession rey = signIn("rey.reset@example.com", "rey's long password");
        mvc.perform(get("/api/v1/accounts").with(rey)).andExpect(status().isOk());

        change(user, "{\"password\": \"a new password from the admin\"}");

        mvc.perform(get("/api/v1/accounts").with(rey)).andExpect(status().isUnauthorized());
    }

    @Test
    void changingYourOwnPasswordEndsYourOtherSessionsButNotThisOne() throws Exception {
        users.createIfAbsent("sam.self@example.com", "Sam", Role.CSM, "sam's long password");
        BrowserSession laptop = signIn("sam.self@example.com", "sam's long password");
        BrowserSession stolen = signIn("sam.self@example.com", "sam's long password");

        mvc.perform(post("/account/password")
                        .with(laptop)
                        .with(csrf())
                        .param("currentPassword", "sam's long password")
                        .param("newPassword", "sam's quite new password")
                        .param("confirmation", "sam's quite new password"))
                .andExpect(redirectedUrl("/"));

        mvc.perform(get("/api/v1/accounts").with(laptop)).andExpect(status().isOk());
        mvc.perform(get("/api/v1/accounts").with(stolen)).andExpect(status().isUnauthorized());
    }

    private ResultActions createAccount(BrowserSession session, String name) throws Exception {
        return mvc.perform(post("/api/v1/accounts")
                .with(session)
                .with(csrf())
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\": \"" + name + "\"}"));
    }

    private void change(User user, String json) throws Exception {
        BrowserSession admin = signIn(SignInTests.ADMIN, SignInTests.ADMIN_PASSWORD);
        mvc.perform(patch("/api/v1/users/" + user.id())
                        .with(admin)
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(json))
                .andExpect(status().isOk());
    }

    private BrowserSession signIn(String email, String password) throws Exception {
        return BrowserSession.of(mvc.perform(
                        formLogin("/login").userParameter("email").user(email).password(password))
                .andExpect(authenticated().withUsername(email))
                .andReturn());
    }
}
