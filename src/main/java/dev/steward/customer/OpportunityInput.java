package dev.steward.customer;

import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * What a client sends to create, replace or bulk-upsert an opportunity. The account is given by id or, in bulk
 * requests, by its external id in the request's source. {@code stage} is the source system's stage name, such as
 * {@code prospecting}, {@code negotiation}, {@code closed_won} or {@code closed_lost}. {@code createdAt} is when the
 * opportunity was opened, by default when Steward first stores it. A replace that sends no {@code externalId} keeps
 * the stored one.
 */
public record OpportunityInput(
        @Size(max = 200) String externalId,
        UUID accountId,
        @Size(max = 200) String accountExternalId,

        @NotBlank(groups = OpportunityInput.Complete.class) @Size(max = 200)
        String name,

        @NotNull(groups = OpportunityInput.Complete.class) OpportunityType type,
        @PositiveOrZero @Digits(integer = 12, fraction = 2) BigDecimal amount,

        @NotBlank(groups = OpportunityInput.Complete.class) @Size(max = 100)
        String stage,

        LocalDate closeDate,
        Instant createdAt) {

    /** Validation group for a record that must stand on its own (create and replace), where name, type and stage are needed. */
    public interface Complete {}
}
