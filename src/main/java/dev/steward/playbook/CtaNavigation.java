package dev.steward.playbook;

import dev.steward.identity.UserDirectory;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.dao.DataAccessException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Gives every page the number of the signed-in user's overdue CTAs, which the navigation shows beside "CTAs": one
 * count on an index, and only for whole pages (not the API, not the parts htmx loads into a page).
 */
@ControllerAdvice(annotations = Controller.class)
class CtaNavigation {

    private final CtaWork work;
    private final UserDirectory users;

    CtaNavigation(CtaWork work, UserDirectory users) {
        this.work = work;
        this.users = users;
    }

    @ModelAttribute("overdueCtas")
    Long overdueCtas(Authentication authentication, HttpServletRequest request) {
        if (!"GET".equals(request.getMethod())
                || request.getHeader("HX-Request") != null
                || request.getRequestURI().startsWith("/api/")) {
            return null;
        }
        return users.signedInId(authentication)
                .map(id -> {
                    try {
                        return work.overdueCount(id);
                    } catch (DataAccessException e) {
                        // A badge is not worth failing a page for; the page's own reads say what is wrong.
                        return null;
                    }
                })
                .orElse(null);
    }
}
