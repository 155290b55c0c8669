package dev.steward.activity;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;

/** An invoice as a client sends it; currency defaults to USD and status to open. */
public record InvoiceInput(
        @Size(max = 200) String externalId,
        UUID accountId,
        @Size(max = 200) String accountExternalId,
        @NotNull LocalDate issuedOn,
        @NotNull LocalDate dueOn,
        LocalDate paidOn,
        @NotNull @PositiveOrZero BigDecimal amount,

        @Pattern(regexp = "[A-Z]{3}", message = "must be a three-letter ISO 4217 code such as USD")
        String currency,

        Invoice.Status status)
        implements ActivityInput {

    public InvoiceInput {
        currency = currency == null ? "USD" : currency;
        status = status == null ? Invoice.Status.open : status;
    }
}
