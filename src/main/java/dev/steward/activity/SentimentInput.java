package dev.steward.activity;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;

/**
 * A CSM's sentiment about an account as a client sends it: a score from 1 (very negative) to 5 (very positive) and
 * the reason for it, so that a score never stands without an explanation.
 */
public record SentimentInput(
        @Size(max = 200) String externalId,
        UUID accountId,
        @Size(max = 200) String accountExternalId,
        UUID authorId,
        @NotNull Instant recordedAt,
        @NotNull Integer score,
        @NotBlank @Size(max = 2_000) String reason)
        implements ActivityInput {}
