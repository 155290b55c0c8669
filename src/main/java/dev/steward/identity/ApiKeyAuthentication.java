package dev.steward.identity;

import java.util.ArrayList;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A request authenticated by an API key: it acts as the key's user, with the key's scope as an extra authority. */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    static final String READ_ONLY = "SCOPE_read";

    private final SignedInUser user;

    ApiKeyAuthentication(SignedInUser user, ApiKeyScope scope) {
        super(authorities(user, scope));
        this.user = user;
        setAuthenticated(true);
    }

    private static List<GrantedAuthority> authorities(SignedInUser user, ApiKeyScope scope) {
        List<GrantedAuthority> authorities = new ArrayList<>(user.getAuthorities());
        authorities.add(new SimpleGrantedAuthority("SCOPE_" + scope.value()));
        return authorities;
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public SignedInUser getPrincipal() {
        return user;
    }
}
