package dev.steward.activity;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;

/** A churn as a client sends it: when, why (a category plus free text) and how much ARR was lost. */
public record ChurnEventInput(
        @Size(max = 200) String externalId,
        UUID accountId,
        @Size(max = 200) String accountExternalId,
        @NotNull LocalDate churnedOn,
        @NotNull ChurnEvent.ReasonCategory reasonCategory,
        @Size(max = 20_000) String reason,
        @PositiveOrZero BigDecimal arrLost)
        implements ActivityInput {}
