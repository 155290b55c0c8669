package dev.steward.notify;

import java.time.Instant;
import java.util.UUID;

/**
 * A delivery as the outbox page shows it: to whom (a user, or an endpoint's URL), about what, and how it went.
 *
 * @param recipientId the user an email goes to; null for a webhook
 * @param url the endpoint a webhook goes to; null for an email
 * @param about the notification's or digest's subject, or the event's kind
 */
record OutboxEntry(
        UUID id,
        Delivery.Channel channel,
        Delivery.Status status,
        UUID recipientId,
        String url,
        String about,
        int attempts,
        Instant nextAttemptAt,
        String lastError,
        Instant createdAt,
        Instant updatedAt) {}
