package dev.steward.usage;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A day's value of a metric as a client sends it. In bulk requests the account is given by {@code accountId} or by
 * {@code accountExternalId} in the request's source; under {@code /accounts/{id}/usage} the path names it.
 */
public record UsageInput(
        UUID accountId,
        @Size(max = 200) String accountExternalId,
        @NotNull LocalDate day,
        @NotBlank String metric,
        @NotNull @PositiveOrZero BigDecimal value) {}
