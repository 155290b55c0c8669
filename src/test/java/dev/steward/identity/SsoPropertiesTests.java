package dev.steward.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SsoPropertiesTests {

    private static SsoProperties sso(Map<Role, List<String>> roles, Role defaultRole, boolean ssoOnly) {
        return new SsoProperties(
                "https://idp.example.com",
                "steward",
                "secret",
                "Okta",
                null,
                null,
                roles,
                defaultRole,
                ssoOnly,
                List.of(" Admin@Example.com "));
    }

    @Test
    void aUserInGroupsOfSeveralRolesGetsTheMostPowerful() {
        SsoProperties sso = sso(Map.of(Role.ADMIN, List.of("cs-admins"), Role.CSM, List.of("cs-team")), null, false);

        assertThat(sso.roleFor(List.of("cs-team", "CS-Admins"))).contains(Role.ADMIN);
        assertThat(sso.roleFor(List.of("everyone", "cs-team"))).contains(Role.CSM);
        assertThat(sso.roleFor(List.of("marketing"))).isEmpty();
        assertThat(sso.roleFor(List.of())).isEmpty();
    }

    @Test
    void withSingleSignOnOnlyOnlyTheBreakGlassEmailsMayUseAPassword() {
        SsoProperties only = sso(Map.of(), null, true);
        assertThat(only.passwordAllowed("admin@example.com")).isTrue();
        assertThat(only.passwordAllowed("ADMIN@example.com ")).isTrue();
        assertThat(only.passwordAllowed("ada@example.com")).isFalse();

        assertThat(sso(Map.of(), null, false).passwordAllowed("ada@example.com"))
                .isTrue();
    }

    @Test
    void singleSignOnIsOffWithoutAnIssuerAndDefaultsAreFilledIn() {
        SsoProperties off = new SsoProperties(null, null, null, null, null, null, null, null, false, null);

        assertThat(off.configured()).isFalse();
        assertThat(off.passwordAllowed("ada@example.com")).isTrue();
        assertThat(off.scopes()).containsExactly("openid", "profile", "email");
        assertThat(off.groupsClaim()).isEqualTo("groups");
        assertThat(off.name()).isEqualTo("single sign-on");
    }

    @Test
    void settingsThatCannotWorkAreRefusedAtStart() {
        assertThatThrownBy(() -> new SsoProperties(null, null, null, null, null, null, null, null, true, null))
                .hasMessageContaining("sso-only needs steward.sso.issuer-uri");
        assertThatThrownBy(() -> new SsoProperties(
                        "https://idp.example.com", null, null, null, null, null, null, null, false, null))
                .hasMessageContaining("client-id is required");
        assertThatThrownBy(() -> new SsoProperties(
                        "https://idp.example.com",
                        "steward",
                        null,
                        null,
                        List.of("email"),
                        null,
                        null,
                        null,
                        false,
                        null))
                .hasMessageContaining("must include openid");
    }
}
