package dev.steward.notify;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;

/** Webhooks and the outbox are for administrators (role ADMIN) only. */
final class Administrators {

    private Administrators() {}

    static void require(Authentication authentication, String what) {
        boolean admin = authentication != null
                && authentication.getAuthorities().stream().anyMatch(a -> "ROLE_ADMIN".equals(a.getAuthority()));
        if (!admin) {
            throw new AccessDeniedException("Only administrators may " + what);
        }
    }
}
