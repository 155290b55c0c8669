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

    /** The signed-in user as pages see them. */
    record CurrentUser(String name, String role) {

        public boolean canEdit() {
            return !"VIEWER".equals(role);
        }

        public boolean isAdmin() {
            return "ADMIN".equals(role);
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
        String name = authentication.getPrincipal() instanceof SignedInUser user
                ? user.displayName()
                : authentication.getName();
        return new CurrentUser(name, role);
    }
}
