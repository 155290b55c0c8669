package dev.steward.identity;

import java.util.List;
import java.util.UUID;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * The principal of a signed-in session or an API key. It never carries the password hash, so nothing kept in the
 * session can leak it; {@link #getUsername()} is the email, which makes {@code authentication.getName()} the email.
 */
record SignedInUser(UUID id, String email, String displayName, Role role, boolean enabled, boolean mustChangePassword)
        implements UserDetails {

    static SignedInUser of(User user, boolean mustChangePassword) {
        return new SignedInUser(
                user.id(), user.email(), user.displayName(), user.role(), user.enabled(), mustChangePassword);
    }

    SignedInUser passwordChanged() {
        return new SignedInUser(id, email, displayName, role, enabled, false);
    }

    @Override
    public List<GrantedAuthority> getAuthorities() {
        return List.of(new SimpleGrantedAuthority("ROLE_" + role.name()));
    }

    @Override
    public String getPassword() {
        return null;
    }

    @Override
    public String getUsername() {
        return email;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }
}
