package dev.steward.identity;

import java.util.Objects;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * A session signed in through the identity provider: the same {@link SignedInUser} a password sign-in gives, so pages,
 * the audit trail and sessions treat both alike; it keeps which identity provider and subject vouched for the user.
 */
final class SingleSignOnAuthentication extends AbstractAuthenticationToken {

    private static final long serialVersionUID = 1L;

    private final SignedInUser user;
    private final String issuer;
    private final String subject;

    SingleSignOnAuthentication(SignedInUser user, String issuer, String subject) {
        super(user.getAuthorities());
        this.user = user;
        this.issuer = issuer;
        this.subject = subject;
        setAuthenticated(true);
    }

    @Override
    public SignedInUser getPrincipal() {
        return user;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    /** How the user signed in, as the audit trail says it: the identity provider's issuer and the user's subject. */
    String method() {
        return "single sign-on (" + issuer + ", subject " + subject + ")";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SingleSignOnAuthentication that
                && super.equals(that)
                && issuer.equals(that.issuer)
                && subject.equals(that.subject);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), issuer, subject);
    }
}
