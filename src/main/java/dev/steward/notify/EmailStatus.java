package dev.steward.notify;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * How an email queued with {@link Notifications#sendEmail} is doing: {@code pending} (not tried yet, or failed and
 * to be tried again at {@code nextAttemptAt}), {@code sent}, {@code failed} (given up on, with the last error) or
 * {@code not_configured} (kept while no SMTP server is configured).
 */
public record EmailStatus(
        UUID delivery,
        String status,
        int attempts,
        @Nullable String lastError,
        @Nullable Instant nextAttemptAt,
        @Nullable Instant sentAt,
        Instant updatedAt) {}
