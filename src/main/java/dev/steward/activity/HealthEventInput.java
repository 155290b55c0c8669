package dev.steward.activity;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;

/**
 * Something that happened to an account's health, as the health module records it for the timeline: the computed
 * color changed, or an override was set or ended; colors are {@code green}, {@code yellow}, {@code red} or {@code
 * black}.
 */
public record HealthEventInput(
        @Size(max = 200) String externalId,
        UUID accountId,
        @Size(max = 200) String accountExternalId,
        @NotNull Instant occurredAt,
        @NotNull HealthEvent.Change change,
        String fromColor,
        String toColor,
        Double score,
        @Size(max = 2_000) String reason,
        @Size(max = 200) String authorName)
        implements ActivityInput {}
