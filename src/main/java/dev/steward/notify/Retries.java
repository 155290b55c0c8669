package dev.steward.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * When a failed delivery is tried again: after 30 seconds, 2 minutes, 10 minutes, 1 hour, then doubling up to a day,
 * until {@code maxAttempts} attempts have failed (about two and a half days with the default ten); then it is failed
 * for good, shown on the outbox page, where an administrator can try it once more.
 */
record Retries(int maxAttempts) {

    static final List<Duration> DELAYS = List.of(
            Duration.ofSeconds(30),
            Duration.ofMinutes(2),
            Duration.ofMinutes(10),
            Duration.ofHours(1),
            Duration.ofHours(2),
            Duration.ofHours(4),
            Duration.ofHours(8),
            Duration.ofHours(16),
            Duration.ofHours(24));

    Retries {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("steward.notify.max-attempts must be at least 1");
        }
    }

    /** When to try again after {@code attempts} failed attempts, or null when that was the last. */
    Instant next(int attempts, Instant failedAt) {
        if (attempts >= maxAttempts) {
            return null;
        }
        return failedAt.plus(DELAYS.get(Math.min(attempts, DELAYS.size()) - 1));
    }
}
