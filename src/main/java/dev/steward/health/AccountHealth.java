package dev.steward.health;

import dev.steward.health.engine.Color;
import dev.steward.health.engine.HealthScore;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

/**
 * An account's health on a day as a user sees it: the score and color that count (an override's, when one applies),
 * the computed score beside it with its full explanation, the override, and the change against 7, 30 and 90 days
 * before (absent where no score was stored then).
 */
public record AccountHealth(
        UUID account,
        LocalDate day,
        String scorecard,
        int scorecardVersion,
        double score,
        Color color,
        boolean overridden,
        double computedScore,
        Color computedColor,
        Double ownScore,
        HealthScore explanation,
        HealthOverride override,
        Map<Integer, Double> trend) {

    public AccountHealth {
        trend = Map.copyOf(trend);
    }
}
