package dev.steward.health;

import dev.steward.health.engine.Color;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An account's health as last stored up to today without its explanation, as {@link HealthScoring#current(UUID)}
 * answers it: the score and color that count (an override's, when one applies on the scored day), the computed ones
 * beside them, and the change against 7, 30 and 90 days before (absent where no score was stored then). Read for many
 * accounts at once by {@link HealthScoring#currentFor(java.util.Collection)}.
 */
public record CurrentHealth(
        UUID account,
        LocalDate day,
        double score,
        Color color,
        boolean overridden,
        double computedScore,
        Color computedColor,
        Map<Integer, Double> trend) {

    public CurrentHealth {
        trend = Map.copyOf(trend);
    }

    /** A stored score as a user sees it, with the override that applies on its day, if any. */
    static CurrentHealth of(AccountScore score, @Nullable HealthOverride override, Map<Integer, Double> trend) {
        return new CurrentHealth(
                score.account(),
                score.day(),
                override != null && override.score() != null ? override.score() : score.score(),
                override != null ? override.color() : score.color(),
                override != null,
                score.score(),
                score.color(),
                trend);
    }

    /** The change from an earlier score to this day's computed one, to one decimal. */
    static double change(double now, double then) {
        return Math.round((now - then) * 10) / 10.0;
    }
}
