package dev.steward.identity;

import dev.steward.core.ConflictException;
import dev.steward.core.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.endpoint.RestClientAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.oidc.authentication.OidcAuthorizationCodeAuthenticationProvider;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Component;

/**
 * Sign-in through an OpenID Connect identity provider (Okta, Entra ID, Google, Keycloak …), when
 * {@code steward.sso.issuer-uri} is set. The identity provider is the source of truth: a user it vouches for is created
 * on first sign-in, and their role follows their groups at every sign-in. A disabled user stays out.
 */
@Component
@EnableConfigurationProperties(SsoProperties.class)
class SingleSignOn {

    private static final Logger log = LoggerFactory.getLogger(SingleSignOn.class);

    /** The registration id, which is the last segment of the redirect URI: {@code {baseUrl}/login/oauth2/code/sso}. */
    static final String REGISTRATION = "sso";

    static final String SIGN_IN_PATH = "/oauth2/authorization/" + REGISTRATION;

    /** The error code of the refusals below; other OAuth2 errors come from the exchange with the identity provider. */
    static final String REFUSED = "steward_refused";

    static final String NO_GROUP = "Your account is not in a group Steward knows; ask your administrator to add you to"
            + " one, then sign in again.";

    private final SsoProperties settings;
    private final Users users;
    private final UserManagement management;
    private final AuditTrail audit;
    private final OidcUserService oidcUsers = new OidcUserService();
    private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();
    private final LazyRegistration registration;

    SingleSignOn(SsoProperties settings, Users users, UserManagement management, AuditTrail audit) {
        this.settings = settings;
        this.users = users;
        this.management = management;
        this.audit = audit;
        this.registration = new LazyRegistration(settings);
    }

    SsoProperties settings() {
        return settings;
    }

    /** Adds sign-in through the identity provider to the filter chain, if one is configured; then goes on as usual. */
    void apply(HttpSecurity http, AuthenticationSuccessHandler then) throws Exception {
        if (!settings.configured()) {
            return;
        }
        http.oauth2Login(login -> login.loginPage("/login")
                .clientRegistrationRepository(registration)
                // Steward calls no API of the identity provider: its tokens are not kept.
                .authorizedClientRepository(new NothingKept())
                .successHandler((request, response, authentication) -> {
                    Authentication signedIn = asSignedInUser(authentication, request, response);
                    then.onAuthenticationSuccess(request, response, signedIn);
                })
                .failureHandler(failed()));
    }

    /** Sends the person back to the sign-in page, which says why in a sentence; the details are logged. */
    private static AuthenticationFailureHandler failed() {
        SimpleUrlAuthenticationFailureHandler signInPage = new SimpleUrlAuthenticationFailureHandler("/login?error");
        return (request, response, exception) -> {
            if (!(exception instanceof OAuth2AuthenticationException oauth2
                    && REFUSED.equals(oauth2.getError().getErrorCode()))) {
                log.warn("Single sign-on failed: {}", exception.getMessage(), exception);
            }
            signInPage.onAuthenticationFailure(request, response, exception);
        };
    }

    /**
     * What checks the identity provider's answer, if one is configured: the filter chain has one authentication
     * manager for passwords and single sign-on alike, so the provider is given to it rather than registered by
     * {@code oauth2Login}.
     */
    List<AuthenticationProvider> providers() {
        if (!settings.configured()) {
            return List.of();
        }
        return List.of(new OidcAuthorizationCodeAuthenticationProvider(
                new RestClientAuthorizationCodeTokenResponseClient(), this::signIn));
    }

    /**
     * The identity provider's user as a Steward user: found by email, created if absent, given the role their groups
     * map to. Refuses (with a sentence the sign-in page shows) a user without an email, a disabled user, and a new
     * user in no mapped group unless a default role is set.
     */
    OidcUser signIn(OidcUserRequest request) {
        OidcUser oidc = oidcUsers.loadUser(request);
        String email = oidc.getEmail();
        if (email == null || email.isBlank()) {
            throw refused("The identity provider sent no email address for you; Steward knows users by email.");
        }
        if (Boolean.FALSE.equals(oidc.getEmailVerified())) {
            throw refused("The identity provider has not verified your email address " + email + ".");
        }
        List<String> groups = Optional.ofNullable(oidc.getClaimAsStringList(settings.groupsClaim()))
                .orElse(List.of());
        Optional<Role> mapped = settings.roleFor(groups);
        String what;
        SignedInUser user = users.signedIn(email).orElse(null);
        try {
            if (user == null) {
                Role role = mapped.orElse(settings.defaultRole());
                if (role == null) {
                    log.info("Refused single sign-on of {}: none of the groups {} is mapped to a role", email, groups);
                    throw refused(NO_GROUP);
                }
                management.createIfAbsent(email, displayName(oidc, email), role);
                user = users.signedIn(email).orElseThrow();
                what = "created as " + role;
            } else if (mapped.isPresent() && mapped.get() != user.role() && user.enabled()) {
                management.change(user.id(), new UserChange(null, mapped.get(), null, null));
                what = "role " + user.role() + " changed to " + mapped.get() + " by the groups";
                user = users.signedIn(email).orElseThrow();
            } else {
                what = "role " + user.role();
            }
        } catch (InvalidInputException | ConflictException e) {
            throw refused("Steward could not take your account from the identity provider: " + e.getMessage());
        }
        if (!user.enabled()) {
            throw refused(PasswordSignIn.DISABLED);
        }
        log.info("{} signed in with {} ({}; groups {})", email, settings.name(), what, groups);
        return new Vouched(oidc, user.passwordChanged(), what, groups);
    }

    private Authentication asSignedInUser(
            Authentication authentication, HttpServletRequest request, HttpServletResponse response) {
        if (!(authentication instanceof OAuth2AuthenticationToken token
                && token.getPrincipal() instanceof Vouched vouched)) {
            return authentication;
        }
        SingleSignOnAuthentication signedIn = new SingleSignOnAuthentication(
                vouched.user(), vouched.getIdToken().getIssuer().toString(), vouched.getSubject());
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(signedIn);
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        try {
            audit.record(
                    vouched.user().email(),
                    "user",
                    request.getRemoteAddr(),
                    "SIGN-IN",
                    request.getRequestURI(),
                    HttpServletResponse.SC_FOUND,
                    "signed in with " + signedIn.method() + "; " + vouched.what() + "; groups "
                            + String.join(", ", vouched.groups()));
        } catch (RuntimeException e) {
            log.error(
                    "Could not put the single sign-on of {} on the audit trail",
                    vouched.user().email(),
                    e);
        }
        return signedIn;
    }

    private static String displayName(OidcUser oidc, String email) {
        for (String name : new String[] {oidc.getFullName(), oidc.getPreferredUsername()}) {
            if (name != null && !name.isBlank()) {
                String stripped = name.strip();
                return stripped.length() > UserManagement.MAXIMUM_NAME_LENGTH
                        ? stripped.substring(0, UserManagement.MAXIMUM_NAME_LENGTH)
                        : stripped;
            }
        }
        return email;
    }

    private static OAuth2AuthenticationException refused(String sentence) {
        return new OAuth2AuthenticationException(new OAuth2Error(REFUSED, sentence, null), sentence);
    }

    /** The identity provider's user with the Steward user it was taken for, until the session is given the latter. */
    private static final class Vouched extends DefaultOidcUser {

        private static final long serialVersionUID = 1L;

        private final transient SignedInUser user;
        private final transient String what;
        private final transient List<String> groups;

        Vouched(OidcUser oidc, SignedInUser user, String what, List<String> groups) {
            super(user.getAuthorities(), oidc.getIdToken(), oidc.getUserInfo(), "sub");
            this.user = user;
            this.what = what;
            this.groups = groups;
        }

        SignedInUser user() {
            return user;
        }

        String what() {
            return what;
        }

        List<String> groups() {
            return groups;
        }
    }

    /**
     * The identity provider's endpoints, read from its discovery document at the first sign-in rather than at start,
     * so that Steward starts (and passwords work) while the identity provider cannot be reached.
     */
    private static final class LazyRegistration implements ClientRegistrationRepository {

        private final SsoProperties settings;
        private volatile @Nullable ClientRegistration registration;

        LazyRegistration(SsoProperties settings) {
            this.settings = settings;
        }

        @Override
        public @Nullable ClientRegistration findByRegistrationId(String registrationId) {
            if (!REGISTRATION.equals(registrationId)) {
                return null;
            }
            ClientRegistration found = registration;
            if (found == null) {
                found = ClientRegistrations.fromIssuerLocation(settings.issuerUri())
                        .registrationId(REGISTRATION)
                        .clientName(settings.name())
                        .clientId(settings.clientId())
                        .clientSecret(settings.clientSecret())
                        .scope(settings.scopes())
                        .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                        .build();
                registration = found;
            }
            return found;
        }
    }

    /** Keeps no authorized client: Steward only signs people in with the identity provider. */
    private static final class NothingKept implements OAuth2AuthorizedClientRepository {

        @Override
        public <T extends OAuth2AuthorizedClient> @Nullable T loadAuthorizedClient(
                String clientRegistrationId, Authentication principal, HttpServletRequest request) {
            return null;
        }

        @Override
        public void saveAuthorizedClient(
                OAuth2AuthorizedClient authorizedClient,
                Authentication principal,
                HttpServletRequest request,
                HttpServletResponse response) {}

        @Override
        public void removeAuthorizedClient(
                String clientRegistrationId,
                Authentication principal,
                HttpServletRequest request,
                HttpServletResponse response) {}
    }
}
