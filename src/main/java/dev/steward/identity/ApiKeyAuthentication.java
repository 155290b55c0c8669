package dev.steward.identity;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * A request authenticated by an API key: it acts as the key's user (with the user's role, never above it), limited to
 * the key's areas.
 */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    private final SignedInUser user;
    private final Map<ApiArea, ApiAccess> areas;

    ApiKeyAuthentication(SignedInUser user, Map<ApiArea, ApiAccess> areas) {
        super(user.getAuthorities());
        this.user = user;
        this.areas = Map.copyOf(areas);
        setAuthenticated(true);
    }

    /** Why the key may not make this request (of this method, to this path), or null when it may. */
    @Nullable
    String refusal(String method, String path, boolean safe) {
        ApiArea area = ApiArea.of(path);
        ApiAccess access = areas.get(area);
        if (access == null) {
            return "This API key has no access to the " + area.value() + " area (" + path + ")";
        }
        if (!safe && access == ApiAccess.READ) {
            return "This API key may only read the " + area.value() + " area";
        }
        return null;
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
