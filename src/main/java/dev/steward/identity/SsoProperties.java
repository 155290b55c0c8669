package dev.steward.identity;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Single sign-on through an OpenID Connect identity provider ({@code steward.sso.*}); off unless an issuer is set.
 *
 * @param issuerUri the identity provider's issuer, whose {@code /.well-known/openid-configuration} names its endpoints
 * @param clientId the client id Steward was registered with at the identity provider
 * @param clientSecret its secret (give it through the environment, {@code STEWARD_SSO_CLIENT_SECRET})
 * @param name what the sign-in button names the identity provider ("Sign in with Okta")
 * @param scopes the scopes asked for; {@code openid profile email} by default, add {@code groups} where the identity
 *     provider sends groups only when asked
 * @param groupsClaim the ID token claim (or user-info attribute) that lists the user's groups
 * @param roles for each role, the groups that give it ({@code steward.sso.roles.ADMIN=cs-admins}); a user in groups of
 *     several roles gets the most powerful
 * @param defaultRole the role of a new user in no mapped group; none by default, so such a user is refused
 * @param ssoOnly whether password sign-in is off, except for the {@code breakGlass} emails
 * @param breakGlass the emails that may still sign in with a password when {@code ssoOnly} is on
 */
@ConfigurationProperties("steward.sso")
record SsoProperties(
        @Nullable String issuerUri,
        @Nullable String clientId,
        @Nullable String clientSecret,
        String name,
        List<String> scopes,
        String groupsClaim,
        Map<Role, List<String>> roles,
        @Nullable Role defaultRole,
        boolean ssoOnly,
        List<String> breakGlass) {

    SsoProperties {
        issuerUri = issuerUri == null || issuerUri.isBlank() ? null : issuerUri.strip();
        name = name == null || name.isBlank() ? "single sign-on" : name.strip();
        scopes = scopes == null || scopes.isEmpty() ? List.of("openid", "profile", "email") : List.copyOf(scopes);
        if (!scopes.contains("openid")) {
            throw new IllegalArgumentException(
                    "steward.sso.scopes must include openid: Steward signs in with OpenID Connect");
        }
        groupsClaim = groupsClaim == null || groupsClaim.isBlank() ? "groups" : groupsClaim.strip();
        roles = roles == null || roles.isEmpty() ? Map.of() : new EnumMap<>(roles);
        breakGlass = breakGlass == null
                ? List.of()
                : breakGlass.stream()
                        .map(email -> email.strip().toLowerCase(Locale.ROOT))
                        .toList();
        if (issuerUri != null && (clientId == null || clientId.isBlank())) {
            throw new IllegalArgumentException("steward.sso.client-id is required when steward.sso.issuer-uri is set");
        }
        if (ssoOnly && issuerUri == null) {
            throw new IllegalArgumentException(
                    "steward.sso.sso-only needs steward.sso.issuer-uri: nobody could sign in without a password");
        }
    }

    boolean configured() {
        return issuerUri != null;
    }

    /** Whether this email may sign in with a password: always, unless single sign-on is the only way in. */
    boolean passwordAllowed(String email) {
        return !ssoOnly || breakGlass.contains(email.strip().toLowerCase(Locale.ROOT));
    }

    /**
     * The role the identity provider's groups give: the most powerful role one of the groups is mapped to, empty
     * when none is.
     */
    Optional<Role> roleFor(List<String> groups) {
        for (Role role : Role.values()) {
            for (String mapped : roles.getOrDefault(role, List.of())) {
                if (groups.stream().anyMatch(group -> group.strip().equalsIgnoreCase(mapped.strip()))) {
                    return Optional.of(role);
                }
            }
        }
        return Optional.empty();
    }
}
