package dev.steward.activity;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.util.UUID;

/**
 * One account's label in a snapshot: whether it churned within {@code horizonDays} after {@code asOf}. Every label of a
 * snapshot has the snapshot's day and horizon.
 */
public record ChurnLabelInput(
        UUID accountId,
        @Size(max = 200) String accountExternalId,
        @NotBlank @Size(max = 200) String snapshot,
        @NotNull LocalDate asOf,
        @NotNull @Min(1) @Max(730) Integer horizonDays,
        @NotNull Boolean churned) {}
