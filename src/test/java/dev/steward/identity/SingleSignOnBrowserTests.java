package dev.steward.identity;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import dev.steward.core.BrowserTest;
import dev.steward.core.Browsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Signing in through an OpenID Connect identity provider (Spring Authorization Server, started by the test), with
 * single sign-on as the only way in but for the break-glass administrator: new users are created with the role their
 * groups map to, known users get their role from their groups, and who is in no known group, or disabled, stays out.
 */
@BrowserTest
class SingleSignOnBrowserTests {

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    private static TestIdentityProvider identityProvider;

    @LocalServerPort
    int port;

    @Autowired
    UserManagement users;

    @Autowired
    AuditTrail audit;

    @Autowired
    SignIns signIns;

    @DynamicPropertySource
    static void singleSignOn(DynamicPropertyRegistry registry) {
        if (identityProvider == null) {
            identityProvider = TestIdentityProvider.start();
        }
        registry.add("steward.sso.issuer-uri", identityProvider::issuer);
        registry.add("steward.sso.client-id", () -> TestIdentityProvider.CLIENT_ID);
        registry.add("steward.sso.client-secret", () -> TestIdentityProvider.CLIENT_SECRET);
        registry.add("steward.sso.name", () -> "Test IdP");
        registry.add("steward.sso.roles.ADMIN", () -> "cs-admins");
        registry.add("steward.sso.roles.CSM", () -> "cs-team,cs-leads");
        registry.add("steward.sso.sso-only", () -> "true");
        registry.add("steward.sso.break-glass", () -> Browsers.ADMIN_EMAIL);
    }

    @AfterAll
    static void stopIdentityProvider() {
        if (identityProvider != null) {
            identityProvider.stop();
            identityProvider = null;
        }
    }

    @BeforeEach
    void sendBackToThisSteward() {
        identityProvider.sendBackTo(steward("/login/oauth2/code/sso"));
    }

    @Test
    void aNewUserIsCreatedOnFirstSignInWithTheRoleTheirGroupsMapTo() {
        Page page = signInAtIdentityProvider("grace");

        assertThat(page.getByTestId("current-user")).hasAttribute("title", "Signed in as Grace Hopper (CSM)");
        assertThat(users.list())
                .filteredOn(user -> user.email().equals("Grace.Hopper@example.com"))
                .singleElement()
                .satisfies(user -> {
                    assertThat(user.displayName()).isEqualTo("Grace Hopper");
                    assertThat(user.role()).isEqualTo(Role.CSM);
                    assertThat(user.enabled()).isTrue();
                });
        assertThat(audit.list(new AuditTrail.Filter("Grace.Hopper@example.com", null, null, null), null, 10))
                .singleElement()
                .satisfies(entry -> {
                    assertThat(entry.action()).isEqualTo("SIGN-IN");
                    assertThat(entry.detail())
                            .startsWith(
                                    "signed in with single sign-on (" + identityProvider.issuer() + ", subject grace)")
                            .contains("created as CSM");
                });
        // The adoption figures count it as a sign-in through single sign-on.
        java.util.UUID grace = users.list().stream()
                .filter(user -> user.email().equals("Grace.Hopper@example.com"))
                .findFirst()
                .orElseThrow()
                .id();
        assertThat(signIns.between(java.time.Instant.EPOCH, java.time.Instant.parse("2100-01-01T00:00:00Z")))
                .filteredOn(signIn -> signIn.user().equals(grace))
                .extracting(SignIns.SignIn::method)
                .containsExactly(SignIns.Method.SINGLE_SIGN_ON);
        // The session is an ordinary one: pages work, there is no password to change, and a change (signing out,
        // with its CSRF token) goes through.
        page.navigate(steward("/ctas"));
        assertThat(page).hasURL(steward("/ctas"));
        page.getByTestId("current-user").click();
        assertThat(page.getByText("Change password")).hasCount(0);
        page.getByText("Sign out").click();
        assertThat(page).hasURL(steward("/login?signedOut"));
    }

    @Test
    void aKnownUserIsFoundByEmailInAnyCaseAndGetsTheRoleOfTheirGroups() {
        User before = users.createIfAbsent("LINUS@example.com", "Linus P.", Role.VIEWER);

        Page page = signInAtIdentityProvider("linus");

        assertThat(page.getByTestId("current-user")).hasAttribute("title", "Signed in as Linus P. (ADMIN)");
        assertThat(users.list())
                .filteredOn(user -> user.email().equalsIgnoreCase("linus@example.com"))
                .singleElement()
                .satisfies(user -> {
                    assertThat(user.id()).isEqualTo(before.id());
                    assertThat(user.role()).isEqualTo(Role.ADMIN);
                });
        // Now an administrator, on the page only administrators may open.
        page.navigate(steward("/settings/users"));
        assertThat(page.locator("h1")).hasText("Users");
        assertThat(page.getByTestId("sso-note"))
                .containsText(
                        "Password sign-in is off: a password set here works only for the break-glass administrators.");

        // Demoted in Steward, they sign in again, as after a password sign-in.
        users.change(before.id(), new UserChange(null, Role.VIEWER, null, null));
        page.navigate(steward("/accounts"));
        assertThat(page).hasURL(steward("/login"));
    }

    @Test
    void someoneInNoKnownGroupIsRefusedAndNotCreated() {
        Page page = signInAtIdentityProvider("mallory");

        assertThat(page).hasURL(steward("/login?error"));
        assertThat(page.getByTestId("sign-in-error")).containsText("Your account is not in a group Steward knows");
        assertThat(users.list()).noneMatch(user -> user.email().equals("mallory@example.com"));
    }

    @Test
    void aDisabledUserCannotSignInThroughTheIdentityProviderEither() {
        User dora = users.createIfAbsent("dora@example.com", "Dora", Role.CSM);
        users.change(dora.id(), new UserChange(null, null, false, null));

        Page page = signInAtIdentityProvider("dora");

        assertThat(page).hasURL(steward("/login?error"));
        assertThat(page.getByTestId("sign-in-error")).hasText(PasswordSignIn.DISABLED);
    }

    @Test
    void withSingleSignOnOnlyPasswordsAreForTheBreakGlassAdministratorAlone() {
        users.createIfAbsent("ada.password@example.com", "Ada Password", Role.CSM, "sso-only-test-password-7");
        Page page = browsers.open(1280, 900);
        page.navigate(steward("/login"));
        assertThat(page.getByTestId("sso-sign-in")).hasText("Sign in with Test IdP");
        assertThat(page.getByLabel("Password")).hasCount(0);

        page.getByText("Administrator sign-in with a password").click();
        Browsers.signIn(page, "ada.password@example.com", "sso-only-test-password-7");
        assertThat(page.getByTestId("sign-in-error")).hasText("Password sign-in is off: sign in with Test IdP");

        // The password form stays for the break-glass administrator, who may have mistyped.
        Browsers.signIn(page, Browsers.ADMIN_EMAIL, Browsers.ADMIN_PASSWORD);
        page.waitForURL(url -> !url.contains("/login"));
        assertThat(page.getByTestId("current-user")).hasAttribute("title", "Signed in as Administrator (ADMIN)");
    }

    /** Opens Steward's sign-in page, signs in at the identity provider as {@code username}, and comes back. */
    private Page signInAtIdentityProvider(String username) {
        Page page = browsers.open(1280, 900);
        page.navigate(steward("/login"));
        page.getByTestId("sso-sign-in").click();
        page.waitForURL(identityProvider.issuer() + "/login");
        page.locator("#username").fill(username);
        page.locator("#password").fill(TestIdentityProvider.PASSWORD);
        page.locator("button[type=submit]").click();
        page.waitForURL(url -> url.startsWith(steward("/")) && !url.contains("/login/oauth2/"));
        return page;
    }

    private String steward(String path) {
        return "http://localhost:" + port + path;
    }
}
