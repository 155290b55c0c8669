package dev.steward.health;

import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Component;

/** Who is saving or publishing a scorecard, for the API and the pages alike. */
@Component
class ScorecardAuthors {

    private final UserDirectory users;

    ScorecardAuthors(UserDirectory users) {
        this.users = users;
    }

    /** The signed-in user; a principal without a user row (such as a test user) is named by its login and role. */
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
