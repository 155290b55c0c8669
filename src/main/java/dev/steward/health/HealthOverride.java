package dev.steward.health;

import dev.steward.health.engine.Color;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.UUID;

/**
 * A CSM's override of an account's health: the color (and optionally the score) to show instead of the computed one,
 * why, and the day it stops applying (exclusive); {@code endedAt} is set when someone removed it early.
 */
public record HealthOverride(
        UUID id,
        UUID account,
        Color color,
        Double score,
        String reason,
        LocalDate expiresOn,
        String author,
        Instant createdAt,
        Instant endedAt,
        String endedBy) {

    /** Whether the override applies on a day: set by then, not yet expired, not removed. */
    public boolean appliesOn(LocalDate day, ZoneId zone) {
        return !createdAt.atZone(zone).toLocalDate().isAfter(day)
                && day.isBefore(expiresOn)
                && (endedAt == null || endedAt.atZone(zone).toLocalDate().isAfter(day));
    }
}
