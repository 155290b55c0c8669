package dev.steward.identity;

import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.InteractiveAuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Component;

/**
 * Records each sign-in through the sign-in form or the identity provider. Spring Security announces those (and only
 * those: an API key's request and a session carrying on are not interactive sign-ins) once the person is known.
 */
@Component
class SignInRecorder {

    private static final Logger log = LoggerFactory.getLogger(SignInRecorder.class);

    private final SignIns signIns;
    private final Users users;

    SignInRecorder(SignIns signIns, Users users) {
        this.signIns = signIns;
        this.users = users;
    }

    @EventListener
    void signedIn(InteractiveAuthenticationSuccessEvent event) {
        Authentication authentication = event.getAuthentication();
        try {
            if (authentication.getPrincipal() instanceof SignedInUser user) {
                signIns.record(user.id(), SignIns.Method.PASSWORD);
            } else if (authentication.getPrincipal() instanceof OidcUser oidc && oidc.getEmail() != null) {
                Optional<UUID> user = users.signedIn(oidc.getEmail()).map(SignedInUser::id);
                user.ifPresent(id -> signIns.record(id, SignIns.Method.SINGLE_SIGN_ON));
            }
        } catch (RuntimeException e) {
            // Counting sign-ins must never keep anyone out.
            log.error("Could not record the sign-in of {}", authentication.getName(), e);
        }
    }
}
