package dev.steward.health;

import dev.steward.health.engine.Color;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * How long an account's health has had its color: the color that counted on its latest scored day (an override's,
 * when one applied that day; the computed one otherwise) and the first scored day of the unbroken stretch of that
 * color leading up to it. Days without a stored score do not break a stretch, and a stretch starts on the first day
 * that was scored with the color, never earlier: a color is not assumed to have held on days nobody scored.
 */
public record HealthColorSince(UUID account, Color color, LocalDate since, LocalDate latest) {

    /** Whether the stretch is of this color, as APIs and pages write it ({@code red}). */
    public boolean isOf(String color) {
        return this.color.value().equals(color);
    }

    /** Whole days from the first day of the stretch to the given day: 0 on the day the color began. */
    public long daysOn(LocalDate day) {
        return ChronoUnit.DAYS.between(since, day);
    }
}
