package dev.steward.identity;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.CredentialsExpiredException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Checks an email and password, throttled per client and email by {@link SignInThrottle}. An unknown email, a user without a password
 * and a wrong password all get the same message after the same work (one hash comparison), so neither the answer nor
 * its timing tells whether the email has an account.
 */
class PasswordSignIn implements AuthenticationProvider {

    static final String WRONG = "Email or password is wrong";

    static final String DISABLED = "Your account is disabled; ask an administrator to enable it";

    /** Said to whoever signs in again with a one-time password, which knows it: the password was right once. */
    static final String USED = "This one-time password has been used already. Ask an administrator to set a new one"
            + " (the first administrator gets a new one printed when Steward starts again).";

    private final Users users;
    private final PasswordEncoder passwords;
    private final SignInThrottle throttle;
    private final String unusableHash;
    private final Clock clock;
    private final SsoProperties sso;

    PasswordSignIn(Users users, PasswordEncoder passwords, SignInThrottle throttle, Clock clock, SsoProperties sso) {
        this.users = users;
        this.sso = sso;
        this.clock = clock;
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
        if (!sso.passwordAllowed(email)) {
            throw new PasswordsOff("Password sign-in is off: sign in with " + sso.name());
        }
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
            throw new DisabledException(DISABLED);
        }
        if (user.mustChangePassword() && !users.useOneTimePassword(user.id(), clock.instant())) {
            throw new CredentialsExpiredException(USED);
        }
        throttle.succeeded(client, email);
        return UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities());
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    /** Password sign-in is off ({@code steward.sso.sso-only}) for everyone but the break-glass administrators. */
    static final class PasswordsOff extends AuthenticationException {

        PasswordsOff(String message) {
            super(message);
        }
    }
}
