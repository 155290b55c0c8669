package dev.steward.backtest;

import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Component;

/** Who asks, as a user with a role: what saving a suggested scorecard draft checks and records. */
@Component
class Requesters {

    private final UserDirectory users;

    Requesters(UserDirectory users) {
        this.users = users;
    }

    /** The signed-in user; a principal without a user row (an API key's, a test's) is named by its login and role. */
    User of(Authentication authentication) {
        return users.findByEmail(authentication.getName())
                .orElseGet(() ->
                        new User(null, authentication.getName(), authentication.getName(), role(authentication), true));
    }

    private static Role role(Authentication authentication) {
        return authentication.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(a -> a != null && a.startsWith("ROLE_"))
                .map(a -> Role.valueOf(a.substring(5)))
                .findFirst()
                .orElse(Role.VIEWER);
    }
}
