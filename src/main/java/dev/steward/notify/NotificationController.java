package dev.steward.notify;

import dev.steward.core.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/notifications")
@Tag(name = "Notifications", description = "Your in-app notifications and how you want them by email")
class NotificationController {

    private final MyNotifications notifications;

    NotificationController(MyNotifications notifications) {
        this.notifications = notifications;
    }

    @GetMapping
    @Operation(
            summary = "List your notifications",
            description = "Newest first, `limit` (1–200, default 25) at a time; pass `next` of a page as `cursor` for"
                    + " the following one. `unread=true` lists the unread ones only.")
    Page<InAppNotification> list(
            @RequestParam(defaultValue = "false") boolean unread,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor,
            Authentication authentication) {
        return notifications.page(authentication, unread, limit, cursor);
    }

    @GetMapping("/unread-count")
    @Operation(summary = "Count your unread notifications", description = "What the bell in the navigation shows.")
    Map<String, Integer> unreadCount(Authentication authentication) {
        return Map.of("unread", notifications.unread(authentication));
    }

    @PostMapping("/{id}/read")
    @Operation(summary = "Mark a notification read", description = "404 unless it is yours; again is fine.")
    InAppNotification markRead(@PathVariable UUID id, Authentication authentication) {
        return notifications.markRead(authentication, id);
    }

    @PostMapping("/read-all")
    @Operation(summary = "Mark all your notifications read", description = "Answers how many were unread.")
    Map<String, Integer> markAllRead(Authentication authentication) {
        return Map.of("marked", notifications.markAllRead(authentication));
    }

    @GetMapping("/preferences")
    @Operation(
            summary = "Your notification preferences",
            description = "`email`: `immediate` (one email per notification), `daily` (one digest a day) or `off`."
                    + " Every notification is in the in-app list whatever you choose.")
    NotificationPreferences preferences(Authentication authentication) {
        return notifications.preferences(authentication);
    }

    @PutMapping("/preferences")
    @Operation(
            summary = "Change your notification preferences",
            description = "Body: {\"email\": \"immediate\" | \"daily\" | \"off\"}. 400 naming the field for another"
                    + " value.")
    ResponseEntity<NotificationPreferences> setPreferences(
            @RequestBody NotificationPreferences preferences, Authentication authentication) {
        return ResponseEntity.ok(notifications.setPreferences(authentication, preferences));
    }
}
