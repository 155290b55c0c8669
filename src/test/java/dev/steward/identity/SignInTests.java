package dev.steward.identity;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.forwardedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

// On a database of its own: it counts on admin@steward.local being the only enabled administrator, which other
// tests sharing a context (and its users) would not leave true.
@StewardTest
@org.springframework.test.context.TestPropertySource(properties = "steward.test.sign-in=own-database")
class SignInTests {

    static final String ADMIN = "admin@steward.local";
    static final String ADMIN_PASSWORD = "admin-test-password";

    private static final AtomicInteger CLIENTS = new AtomicInteger();

    /** Each test signs in from its own address, so that failures counted per client stay within the test. */
    private final String client = "192.0.2." + CLIENTS.incrementAndGet();

    @Autowired
    MockMvc mvc;

    @Autowired
    UserManagement users;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Clock clock;

    @Test
    void apiRequestsWithoutSignInGetAProblemAndPagesGoToSignIn() throws Exception {
        mvc.perform(get("/api/v1/accounts"))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", "Bearer"))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status", is(401)))
                .andExpect(jsonPath("$.detail", containsString("Authorization: Bearer")));
        mvc.perform(post("/api/v1/accounts")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{}"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(get("/settings/api-keys")).andExpect(status().isFound()).andExpect(redirectedUrl("/login"));
        mvc.perform(get("/login"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Steward")))
                .andExpect(content().string(containsString("name=\"email\"")));
    }

    @Test
    void signingInStartsASessionAndSigningOutEndsIt() throws Exception {
        BrowserSession session = signIn(ADMIN, ADMIN_PASSWORD);
        mvc.perform(get("/api/v1/accounts").with(session)).andExpect(status().isOk());
        mvc.perform(get("/settings/api-keys").with(session))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Administrator")));
        mvc.perform(post("/logout").with(session).with(csrf())).andExpect(redirectedUrl("/login?signedOut"));
        mvc.perform(get("/api/v1/accounts").with(session)).andExpect(status().isUnauthorized());
    }

    @Test
    void fiveWrongPasswordsLockTheEmailForFifteenMinutesEvenAgainstTheRightPassword() throws Exception {
        users.createIfAbsent("locked.out@example.com", "Lee Locked", Role.CSM, "the right password");
        for (int attempt = 1; attempt < SignInThrottle.MAXIMUM_FAILURES; attempt++) {
            assertShows(failedSignIn("locked.out@example.com", "guess " + attempt), "Email or password is wrong");
        }
        assertShows(
                failedSignIn("locked.out@example.com", "one guess too many"),
                "Too many failed attempts; try again in 15 minutes");
        assertShows(
                failedSignIn("LOCKED.OUT@example.com", "the right password"),
                "Too many failed attempts; try again in 15 minutes");

        // Once the lock is over, the right password works and the count starts again.
        jdbc.sql("update sign_in_throttle set locked_until = ? where key like ?")
                .params(Timestamp.from(clock.instant().minusSeconds(1)), "%locked.out@example.com")
                .update();
        signIn("locked.out@example.com", "the right password");
        assertShows(failedSignIn("locked.out@example.com", "typo"), "Email or password is wrong");
    }

    @Test
    void guessingFromOneClientDoesNotLockTheAccountsOwnerOutElsewhere() throws Exception {
        String attacker = "203.0.113.66";
        for (int attempt = 1; attempt < SignInThrottle.MAXIMUM_FAILURES; attempt++) {
            assertShows(failedSignIn(ADMIN, "guess " + attempt, attacker), "Email or password is wrong");
        }
        assertShows(failedSignIn(ADMIN, "one more", attacker), "Too many failed attempts; try again in 15 minutes");
        assertShows(failedSignIn(ADMIN, ADMIN_PASSWORD, attacker), "Too many failed attempts");

        signIn(ADMIN, ADMIN_PASSWORD, "198.51.100.20");
    }

    @Test
    void sprayingManyEmailsFromOneClientIsStopped() throws Exception {
        users.createIfAbsent("sprayed@example.com", "Sprayed", Role.CSM, "a sprayed long password");
        String sprayer = "203.0.113.77";
        for (int email = 1; email < SignInThrottle.MAXIMUM_CLIENT_FAILURES; email++) {
            assertShows(
                    failedSignIn("user" + email + "@example.com", "Summer2024!", sprayer),
                    "Email or password is wrong");
        }
        assertShows(
                failedSignIn("user30@example.com", "Summer2024!", sprayer),
                "Too many failed sign-ins from your network; try again in 15 minutes");
        assertShows(
                failedSignIn("sprayed@example.com", "a sprayed long password", sprayer),
                "Too many failed sign-ins from your network");

        signIn("sprayed@example.com", "a sprayed long password", "198.51.100.21");
    }

    @Test
    void easyPasswordsAreRefusedWithTheReason() throws Exception {
        users.createIfAbsent("weak.choice@example.com", "Wendy Weak", Role.CSM, "wendy's long password");
        BrowserSession session = signIn("weak.choice@example.com", "wendy's long password");
        changePassword(session, "wendy's long password", "password1234", "password1234")
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("is too easy to guess: This is a very common password")));
        changePassword(session, "wendy's long password", "qwertyuiop12", "qwertyuiop12")
                .andExpect(content().string(containsString("is too easy to guess")));
        changePassword(session, "wendy's long password", "abcabcabcabcabc", "abcabcabcabcabc")
                .andExpect(content().string(containsString("is too easy to guess")));
        changePassword(session, "wendy's long password", "lantern orbit pickle", "lantern orbit pickle")
                .andExpect(redirectedUrl("/"));
        mvc.perform(post("/api/v1/users")
                        .with(signIn(ADMIN, ADMIN_PASSWORD))
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"email\": \"new.weak@example.com\", \"displayName\": \"New\", \"role\": \"CSM\","
                                + " \"password\": \"aaaaaaaaaaaa\"}"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("password")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("too easy to guess")));
    }

    @Test
    void anUnknownEmailIsAnsweredExactlyLikeAWrongPassword() throws Exception {
        for (int attempt = 1; attempt < SignInThrottle.MAXIMUM_FAILURES; attempt++) {
            assertShows(failedSignIn("nobody@example.com", "guess " + attempt), "Email or password is wrong");
        }
        assertShows(failedSignIn("nobody@example.com", "again"), "Too many failed attempts; try again in 15 minutes");
    }

    @Test
    void aViewerReadsButCannotChangeAnything() throws Exception {
        users.createIfAbsent("vera.viewer@example.com", "Vera Viewer", Role.VIEWER, "viewer password 1");
        BrowserSession session = signIn("vera.viewer@example.com", "viewer password 1");

        mvc.perform(get("/api/v1/accounts").with(session)).andExpect(status().isOk());
        mvc.perform(post("/api/v1/accounts")
                        .with(session)
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"Should Not Exist\"}"))
                .andExpect(status().isForbidden())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail", is("Your role VIEWER can read but not change data")));
        mvc.perform(post("/accounts").with(session).with(csrf()).param("name", "Nope"))
                .andExpect(status().isForbidden())
                .andExpect(forwardedUrl(AccessRules.FORBIDDEN_PAGE))
                .andExpect(request()
                        .attribute(AccessRules.DETAIL_ATTRIBUTE, "Your role VIEWER can read but not change data"));
        mvc.perform(get(AccessRules.FORBIDDEN_PAGE)
                        .with(session)
                        .requestAttr(AccessRules.DETAIL_ATTRIBUTE, "Your role VIEWER can read but not change data"))
                .andExpect(content().string(containsString("Your role VIEWER can read but not change data")));
        mvc.perform(get("/api/v1/users").with(session))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail", containsString("VIEWER")));
        mvc.perform(get("/settings/api-keys").with(session))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Vera Viewer")))
                .andExpect(content().string(not(containsString("href=\"/settings/users\""))));
    }

    @Test
    void sessionRequestsNeedTheCsrfToken() throws Exception {
        BrowserSession session = signIn(ADMIN, ADMIN_PASSWORD);
        mvc.perform(post("/api/v1/accounts")
                        .with(session)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"Forged\"}"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail", containsString("CSRF")));
    }

    @Test
    void aOneTimePasswordMustBeReplacedBeforeAnythingElse() throws Exception {
        User user = users.createIfAbsent("first.time@example.com", "Fran First", Role.MANAGER, "one-time password");
        jdbc.sql("update app_user set must_change_password = true where id = ?")
                .param(user.id())
                .update();
        BrowserSession session = signInWithAOneTimePassword("first.time@example.com", "one-time password");
        mvc.perform(get("/api/v1/accounts").with(session))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail", containsString("/account/password")));
        mvc.perform(get("/settings/api-keys").with(session)).andExpect(redirectedUrl("/account/password"));
        mvc.perform(get("/css/steward.css").with(session)).andExpect(status().isOk());
        mvc.perform(get("/account/password").with(session))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("one-time password")));

        changePassword(session, "one-time password", "too short", "too short")
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("at least 12 characters")));
        changePassword(session, "one-time password", "my own long password", "my own long password")
                .andExpect(redirectedUrl("/"));

        mvc.perform(get("/api/v1/accounts").with(session)).andExpect(status().isOk());
        signIn("first.time@example.com", "my own long password");
    }

    @Test
    void aOneTimePasswordWorksForOneSignInOnly() throws Exception {
        User user = users.createIfAbsent("once.only@example.com", "Olly Once", Role.CSM, "olly one-time password");
        jdbc.sql("update app_user set must_change_password = true where id = ?")
                .param(user.id())
                .update();
        signInWithAOneTimePassword("once.only@example.com", "olly one-time password");
        // Signed out (or another browser) before replacing it: the password has done its one sign-in.
        assertShows(
                failedSignIn("once.only@example.com", "olly one-time password"),
                "This one-time password has been used already");
        assertShows(failedSignIn("once.only@example.com", "a wrong guess"), "Email or password is wrong");
    }

    @Test
    void aPasswordSetByAnAdministratorIsReplacedAtTheFirstSignIn() throws Exception {
        BrowserSession admin = signIn(ADMIN, ADMIN_PASSWORD);
        String created = mvc.perform(post("/api/v1/users")
                        .with(admin)
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"email": "set.by.admin@example.com", "displayName": "Sid Set", "role": "CSM",
                                 "password": "sid's password from the admin"}"""))
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getContentAsString();
        BrowserSession sid = signInWithAOneTimePassword("set.by.admin@example.com", "sid's password from the admin");
        mvc.perform(get("/api/v1/accounts").with(sid)).andExpect(status().isForbidden());
        changePassword(sid, "sid's password from the admin", "sid's very own password", "sid's very own password")
                .andExpect(redirectedUrl("/"));
        signIn("set.by.admin@example.com", "sid's very own password");

        // A new password from the administrator is one-time again.
        mvc.perform(patch("/api/v1/users/" + JsonPath.read(created, "$.id"))
                        .with(admin)
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"password\": \"sid's reset from the admin\"}"))
                .andExpect(status().isOk());
        signInWithAOneTimePassword("set.by.admin@example.com", "sid's reset from the admin");
    }

    @Test
    void administratorsManageUsersAndCannotRemoveTheLastAdministrator() throws Exception {
        BrowserSession session = signIn(ADMIN, ADMIN_PASSWORD);
        String created = mvc.perform(post("/api/v1/users")
                        .with(session)
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"email": "casey.csm@example.com", "displayName": "Casey CSM", "role": "CSM",
                                 "password": "casey password 1"}"""))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.role", is("CSM")))
                .andExpect(jsonPath("$.password").doesNotExist())
                .andReturn()
                .getResponse()
                .getContentAsString();
        String id = JsonPath.read(created, "$.id");

        mvc.perform(
                        post("/api/v1/users")
                                .with(session)
                                .with(csrf())
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(
                                        "{\"email\": \"CASEY.csm@example.com\", \"displayName\": \"Again\", \"role\": \"CSM\"}"))
                .andExpect(status().isConflict());
        mvc.perform(post("/api/v1/users")
                        .with(session)
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"email\": \"not-an-email\", \"displayName\": \"\", \"role\": \"CSM\"}"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("email")))
                .andExpect(jsonPath("$.errors[1].field", is("displayName")));

        mvc.perform(patch("/api/v1/users/" + id)
                        .with(session)
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"enabled\": false}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.enabled", is(false)));
        assertShows(failedSignIn("casey.csm@example.com", "casey password 1"), "Your account is disabled");

        String adminId = users.list().stream()
                .filter(u -> u.email().equals(ADMIN))
                .findFirst()
                .orElseThrow()
                .id()
                .toString();
        mvc.perform(patch("/api/v1/users/" + adminId)
                        .with(session)
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"role\": \"VIEWER\"}"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail", containsString("only enabled administrator")));

        mvc.perform(get("/settings/users").with(session))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("casey.csm@example.com")));
        mvc.perform(post("/settings/users")
                        .with(session)
                        .with(csrf())
                        .param("email", "page.user@example.com")
                        .param("displayName", "Page User")
                        .param("role", "MANAGER"))
                .andExpect(redirectedUrl("/settings/users"));
        mvc.perform(get("/api/v1/users").with(session))
                .andExpect(jsonPath("$[?(@.email == 'page.user@example.com')].role", contains("MANAGER")));
    }

    /** Signs in with a password that must be replaced: the answer sends the person to the password page. */
    private BrowserSession signInWithAOneTimePassword(String email, String password) throws Exception {
        return BrowserSession.of(mvc.perform(
                        formLogin("/login").userParameter("email").user(email).password(password))
                .andExpect(redirectedUrl("/account/password"))
                .andReturn());
    }

    BrowserSession signIn(String email, String password) throws Exception {
        return signIn(email, password, client);
    }

    private BrowserSession signIn(String email, String password, String from) throws Exception {
        MvcResult result = mvc.perform(post("/login")
                        .param("email", email)
                        .param("password", password)
                        .with(csrf())
                        .with(from(from)))
                .andExpect(authenticated().withUsername(email))
                .andReturn();
        return BrowserSession.of(result);
    }

    /** Signs in, expects to be refused, and returns the sign-in page shown afterwards. */
    private String failedSignIn(String email, String password) throws Exception {
        return failedSignIn(email, password, client);
    }

    private String failedSignIn(String email, String password, String from) throws Exception {
        MvcResult result = mvc.perform(post("/login")
                        .param("email", email)
                        .param("password", password)
                        .with(csrf())
                        .with(from(from)))
                .andExpect(unauthenticated())
                .andExpect(redirectedUrl("/login?error"))
                .andReturn();
        return mvc.perform(get("/login?error").with(BrowserSession.of(result)))
                .andReturn()
                .getResponse()
                .getContentAsString();
    }

    private ResultActions changePassword(BrowserSession session, String current, String next, String again)
            throws Exception {
        return mvc.perform(post("/account/password")
                .with(session)
                .with(csrf())
                .param("currentPassword", current)
                .param("newPassword", next)
                .param("confirmation", again));
    }

    private static RequestPostProcessor from(String address) {
        return request -> {
            request.setRemoteAddr(address);
            return request;
        };
    }

    private static void assertShows(String page, String message) {
        org.assertj.core.api.Assertions.assertThat(page).contains(message);
    }
}
