package dev.steward.health;

import dev.steward.health.engine.Color;
import java.time.LocalDate;
import java.util.UUID;

/**
 * One account's health on one day: the score and color that count (for a parent, the ARR-weighted roll-up of its
 * own and its children's), the coverage, the scorecard version, and per measure the raw value and percentile rank
 * ({@code NaN} where there is none) from which the full explanation is rebuilt.
 */
public record AccountScore(
        UUID account,
        LocalDate day,
        String scorecard,
        int scorecardVersion,
        double score,
        Color color,
        double coverage,
        Double ownScore,
        double[] raw,
        double[] ranks) {

    /** Whether this is a parent's roll-up rather than the account's own score. */
    public boolean rolledUp() {
        return ownScore != null;
    }
}
