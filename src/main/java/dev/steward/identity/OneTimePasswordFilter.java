package dev.steward.identity;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps someone who signed in with a one-time password on the page that replaces it: a password printed in a log
 * must not stay valid for everyday use.
 */
class OneTimePasswordFilter extends OncePerRequestFilter {

    static final String PASSWORD_PAGE = "/account/password";

    private final RequestMatcher publicPaths;

    OneTimePasswordFilter(RequestMatcher publicPaths) {
        this.publicPaths = publicPaths;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null
                && !(authentication instanceof ApiKeyAuthentication)
                && authentication.getPrincipal() instanceof SignedInUser user
                && user.mustChangePassword()
                && !request.getRequestURI().equals(PASSWORD_PAGE)
                && !publicPaths.matches(request)) {
            if (request.getRequestURI().startsWith("/api/")) {
                AccessRules.write(
                        response,
                        request,
                        403,
                        "password-change-required",
                        "Password change required",
                        "Replace your one-time password at " + PASSWORD_PAGE + " first");
            } else {
                response.sendRedirect(PASSWORD_PAGE);
            }
            return;
        }
        chain.doFilter(request, response);
    }
}
