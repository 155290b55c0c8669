package dev.steward.notify;

import dev.steward.core.Page;
import java.util.Arrays;
import java.util.UUID;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The page of the signed-in person's notifications, newest first, with their email preference. */
@Controller
@RequestMapping("/notifications")
class NotificationPages {

    private static final String PAGE = "notify/notifications";

    private final MyNotifications notifications;

    NotificationPages(MyNotifications notifications) {
        this.notifications = notifications;
    }

    @GetMapping
    String list(
            @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "false") boolean unread,
            Authentication authentication,
            Model model) {
        Page<InAppNotification> page = notifications.page(authentication, unread, Inbox.DEFAULT_LIMIT, cursor);
        model.addAttribute("activeNav", "notifications");
        model.addAttribute("notifications", page.items());
        model.addAttribute("next", page.next());
        model.addAttribute("firstPage", cursor == null || cursor.isBlank());
        model.addAttribute("unreadOnly", unread);
        model.addAttribute(
                "emailMode", notifications.preferences(authentication).email());
        model.addAttribute("emailModes", EmailMode.values());
        model.addAttribute("hasUser", notifications.me(authentication).isPresent());
        return PAGE;
    }

    @PostMapping("/{id}/read")
    String markRead(@PathVariable UUID id, Authentication authentication) {
        notifications.markRead(authentication, id);
        return "redirect:/notifications";
    }

    /** Marks the notification read and goes where it points (a path within Steward, checked when it was sent). */
    @PostMapping("/{id}/open")
    String open(@PathVariable UUID id, Authentication authentication) {
        InAppNotification notification = notifications.markRead(authentication, id);
        return "redirect:" + (notification.link() == null ? "/notifications" : notification.link());
    }

    @PostMapping("/read-all")
    String markAllRead(Authentication authentication, RedirectAttributes redirect) {
        int marked = notifications.markAllRead(authentication);
        redirect.addFlashAttribute(
                "message", marked == 1 ? "1 notification marked read" : marked + " notifications marked read");
        return "redirect:/notifications";
    }

    @PostMapping("/preferences")
    String setPreferences(
            @RequestParam(defaultValue = "") String email, Authentication authentication, RedirectAttributes redirect) {
        EmailMode mode = Arrays.stream(EmailMode.values())
                .filter(m -> m.name().equals(email))
                .findFirst()
                .orElseThrow(() -> new dev.steward.core.InvalidInputException(
                        "email", "'" + email + "' is not one of immediate, daily, off"));
        notifications.setPreferences(authentication, new NotificationPreferences(mode));
        redirect.addFlashAttribute(
                "message",
                switch (mode) {
                    case immediate -> "You get an email for each notification.";
                    case daily -> "You get one email a day with your notifications.";
                    case off -> "You get no email; your notifications are here.";
                });
        return "redirect:/notifications";
    }
}
