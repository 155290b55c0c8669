package dev.steward.identity;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Gives every page the signed-in user's name and role, for the navigation bar and for hiding what they may not do. */
@ControllerAdvice(annotations = Controller.class)
class CurrentUserAdvice {

    /**
     * The signed-in user as pages see them: name, role, and their user id ({@code null} for a principal without a user
     * row, such as a test's), and whether they signed in with a password (not through the identity provider, which
     * keeps their password).
     */
    record CurrentUser(String name, String role, java.util.UUID id, boolean hasPassword) {

        /** Whether they own accounts (a CSM or manager with a user row): the navigation offers their book. */
        public boolean hasBook() {
            return id != null && ("CSM".equals(role) || "MANAGER".equals(role));
        }

        public boolean canEdit() {
            return !"VIEWER".equals(role);
        }

        public boolean isAdmin() {
            return "ADMIN".equals(role);
        }

        /**
         * What the navigation shows for them where a long name would not fit: the first letters of their first and
         * last words ("Ada Lovelace" → "AL"), or of the one word they have.
         */
        public String initials() {
            String[] words = name.strip().split("[\\s@.]+");
            String first = words[0].isEmpty() ? "?" : words[0].substring(0, 1);
            String last = words.length > 1 ? words[words.length - 1].substring(0, 1) : "";
            return (first + last).toUpperCase(java.util.Locale.ROOT);
        }
    }

    @ModelAttribute("currentUser")
    CurrentUser currentUser(Authentication authentication) {
        if (authentication == null || authentication instanceof AnonymousAuthenticationToken) {
            return null;
        }
        String role = authentication.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(a -> a != null && a.startsWith("ROLE_"))
                .map(a -> a.substring(5))
                .findFirst()
                .orElse("VIEWER");
        // Test users and other principals have no display name; their name is the best there is.
        SignedInUser user = authentication.getPrincipal() instanceof SignedInUser signedIn ? signedIn : null;
        return new CurrentUser(
                user != null ? user.displayName() : authentication.getName(),
                role,
                user == null ? null : user.id(),
                !(authentication instanceof SingleSignOnAuthentication));
    }
}
