package dev.steward.identity;

import java.util.Optional;
import java.util.UUID;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Checks an email and password, throttled per client and email by {@link SignInThrottle}. An unknown email, a user without a password
 * and a wrong password all get the same message after the same work (one hash comparison), so neither the answer nor
 * its timing tells whether the email has an account.
 */
class PasswordSignIn implements AuthenticationProvider {

    static final String WRONG = "Email or password is wrong";

    private final Users users;
    private final PasswordEncoder passwords;
    private final SignInThrottle throttle;
    private final String unusableHash;

    PasswordSignIn(Users users, PasswordEncoder passwords, SignInThrottle throttle) {
        this.users = users;
        this.passwords = passwords;
        this.throttle = throttle;
        this.unusableHash = passwords.encode(UUID.randomUUID().toString());
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String email =
                authentication.getName() == null ? "" : authentication.getName().trim();
        String password = authentication.getCredentials() == null
                ? ""
                : authentication.getCredentials().toString();
        String client = authentication.getDetails() instanceof WebAuthenticationDetails details
                        && details.getRemoteAddress() != null
                ? details.getRemoteAddress()
                : "unknown";
        Optional<SignInThrottle.Lock> locked = throttle.lockedFor(client, email);
        if (locked.isPresent()) {
            throw new LockedException(locked.get().message());
        }
        Optional<Users.Credentials> credentials = users.credentials(email);
        String hash = credentials.map(Users.Credentials::passwordHash).orElse(null);
        boolean matches = passwords.matches(password, hash == null ? unusableHash : hash) && hash != null;
        if (!matches) {
            throttle.failed(client, email).ifPresent(lock -> {
                throw new LockedException(lock.message());
            });
            throw new BadCredentialsException(WRONG);
        }
        SignedInUser user = credentials.get().user();
        if (!user.enabled()) {
            throw new DisabledException("Your account is disabled; ask an administrator to enable it");
        }
        throttle.succeeded(client, email);
        return UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities());
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
