package dev.steward.notify;

import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import dev.steward.core.Page;
import dev.steward.identity.UserDirectory;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** What the signed-in person does with their own notifications: read the list, mark read, choose about email. */
@Service
class MyNotifications {

    private final Inbox inbox;
    private final Preferences preferences;
    private final UserDirectory users;
    private final Clock clock;

    MyNotifications(Inbox inbox, Preferences preferences, UserDirectory users, Clock clock) {
        this.inbox = inbox;
        this.preferences = preferences;
        this.users = users;
        this.clock = clock;
    }

    /** The signed-in user's id; empty for a principal without a user row, who has no notifications. */
    Optional<UUID> me(Authentication authentication) {
        return users.signedInId(authentication);
    }

    Page<InAppNotification> page(Authentication authentication, boolean unreadOnly, Integer limit, String cursor) {
        Optional<UUID> me = me(authentication);
        if (me.isEmpty()) {
            return new Page<>(java.util.List.of(), null);
        }
        return inbox.page(me.get(), unreadOnly, limit, cursor);
    }

    int unread(Authentication authentication) {
        return me(authentication).map(inbox::unread).orElse(0);
    }

    /** Marks one read and answers it, so that a page can follow its link. */
    @Transactional
    InAppNotification markRead(Authentication authentication, UUID id) {
        UUID me = me(authentication).orElseThrow(() -> new NotFoundException("notification", id));
        if (!inbox.markRead(me, id, clock.instant())) {
            throw new NotFoundException("notification", id);
        }
        return inbox.find(id).orElseThrow(() -> new NotFoundException("notification", id));
    }

    int markAllRead(Authentication authentication) {
        return me(authentication)
                .map(me -> inbox.markAllRead(me, clock.instant()))
                .orElse(0);
    }

    NotificationPreferences preferences(Authentication authentication) {
        return new NotificationPreferences(
                me(authentication).map(preferences::emailMode).orElse(Preferences.DEFAULT));
    }

    NotificationPreferences setPreferences(Authentication authentication, NotificationPreferences chosen) {
        if (chosen == null || chosen.email() == null) {
            throw new InvalidInputException("email", "is required: one of immediate, daily, off");
        }
        UUID me = me(authentication)
                .orElseThrow(() -> new InvalidInputException(
                        "email", "only a user of Steward has notification preferences, and you sign in as none"));
        preferences.setEmailMode(me, chosen.email(), clock.instant());
        return new NotificationPreferences(chosen.email());
    }
}
