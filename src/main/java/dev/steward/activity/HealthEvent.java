package dev.steward.activity;

import dev.steward.customer.AccountId;
import java.time.Instant;
import java.util.UUID;

/** Something that happened to an account's health: a change of computed color, or an override set or ended. */
public record HealthEvent(
        UUID id,
        AccountId accountId,
        String source,
        String externalId,
        Instant occurredAt,
        Change change,
        String fromColor,
        String toColor,
        Double score,
        String reason,
        String authorName) {

    /** What happened. */
    public enum Change {
        color_changed,
        override_set,
        override_ended
    }
}
