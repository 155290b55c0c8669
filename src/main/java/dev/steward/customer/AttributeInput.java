package dev.steward.customer;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.util.UUID;

/**
 * An account attribute's value as of a day, as a client sends it: the account by {@code accountId} or by {@code
 * accountExternalId} in the request's source, a name such as {@code tenure_months}, and a number (yes/no as 1/0).
 */
public record AttributeInput(
        UUID accountId,
        @Size(max = 200) String accountExternalId,

        @NotBlank
        @Size(max = 100)
        @Pattern(
                regexp = "[a-z][a-z0-9_]*",
                message = "must be lower case letters, digits and '_', starting with a letter")
        String name,

        @NotNull LocalDate asOf,
        @NotNull Double value) {}
