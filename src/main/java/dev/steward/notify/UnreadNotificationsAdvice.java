package dev.steward.notify;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Gives every page the signed-in person's count of unread notifications, for the bell in the navigation: one count on
 * an index, and none for API calls and htmx fragments, which draw no navigation.
 */
@ControllerAdvice(annotations = Controller.class)
class UnreadNotificationsAdvice {

    private final MyNotifications notifications;

    UnreadNotificationsAdvice(MyNotifications notifications) {
        this.notifications = notifications;
    }

    @ModelAttribute("unreadNotifications")
    Integer unreadNotifications(Authentication authentication, HttpServletRequest request) {
        if (authentication == null
                || authentication instanceof AnonymousAuthenticationToken
                || request.getRequestURI().startsWith(request.getContextPath() + "/api/")
                || request.getHeader("HX-Request") != null) {
            return null;
        }
        return notifications.unread(authentication);
    }
}
