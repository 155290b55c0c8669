package dev.steward.notify;

import java.time.Instant;
import java.util.UUID;

/** One notification in a person's in-app list; {@code readAt} is absent while it is unread. */
record InAppNotification(
        UUID id, String kind, String subject, String body, String link, Instant createdAt, Instant readAt) {

    public boolean unread() {
        return readAt == null;
    }
}
