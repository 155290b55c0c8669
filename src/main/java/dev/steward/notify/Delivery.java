package dev.steward.notify;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of the outbox: a notification (or a digest) to email to one person, a notification waiting for that
 * person's digest, or an event to post to one webhook endpoint; with how delivering it went so far.
 */
record Delivery(
        UUID id,
        Channel channel,
        Status status,
        UUID recipientId,
        UUID notificationId,
        UUID eventId,
        UUID endpointId,
        String subject,
        String body,
        int attempts,
        Instant nextAttemptAt,
        String lastError,
        Instant createdAt,
        Instant updatedAt,
        Instant sentAt) {

    enum Channel {
        email,
        digest,
        webhook
    }

    enum Status {
        pending,
        sent,
        failed,
        /** Email while no SMTP server is configured: kept, visible, and sent when an administrator retries it. */
        not_configured
    }
}
