package dev.steward.insight;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One thing an alert rule reported: its initial state, a crossing or a recovery, of an account ({@code accountId}) or
 * of its figure ({@code value}).
 */
record AlertFiring(
        UUID id,
        UUID ruleId,
        Event event,
        @Nullable UUID accountId,
        @Nullable String accountName,
        @Nullable BigDecimal value,
        String message,
        Instant firedAt) {

    enum Event {
        /** Held already when the rule was created or its condition changed: reported once. */
        initial,
        /** Started to hold: fired. */
        crossed,
        /** Stopped holding: the next crossing fires again. Not delivered, only kept. */
        recovered
    }
}
