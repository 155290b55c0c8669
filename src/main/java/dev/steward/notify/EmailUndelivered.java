package dev.steward.notify;

import java.time.Instant;
import java.util.UUID;

/**
 * Published when the outbox gives up on an email: after its last retry, or at once when no retry can succeed (the
 * recipient's user is gone or disabled). An administrator may still retry it from the outbox page.
 */
public record EmailUndelivered(
        UUID delivery, UUID recipient, String subject, int attempts, String reason, Instant at) {}
