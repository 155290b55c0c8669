package dev.steward.activity;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;

/** A survey answer as a client sends it: NPS scores run 0–10, CSAT scores 1–5. */
public record SurveyResponseInput(
        @Size(max = 200) String externalId,
        UUID accountId,
        @Size(max = 200) String accountExternalId,
        @NotNull Instant respondedAt,
        @NotNull SurveyResponse.Kind kind,
        @NotNull Integer score,
        @Size(max = 20_000) String comment,
        @Email @Size(max = 320) String respondentEmail)
        implements ActivityInput {}
