package dev.steward.health;

import dev.steward.customer.AccountId;
import dev.steward.health.engine.Color;
import java.time.LocalDate;
import java.util.List;

/**
 * Accounts whose computed health color changed when they were scored for a day (Green → Yellow, say), published once
 * per scoring run rather than once per account so that a re-score of every account stays one event.
 */
public record HealthColorsChanged(LocalDate day, List<Change> changes) {

    public HealthColorsChanged {
        changes = List.copyOf(changes);
    }

    /** One account's change: the color it had, the color it has now and the score that gave it. */
    public record Change(AccountId account, Color from, Color to, double score, String scorecard) {}
}
