package dev.steward.customer;

import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;

/**
 * What a client sends to create, replace or bulk-upsert a contract. The account is given by id or, in bulk
 * requests, by its external id in the request's source; likewise the contract this one renews ({@code
 * previousContractId} or {@code previousContractExternalId}). The end date is the first day no longer covered; a
 * contract without one is open-ended (a subscription that runs until it is ended), and a cancelled one needs one.
 * {@code status} defaults to active and {@code autoRenew} to false. A replace that sends no {@code externalId} keeps
 * the stored one.
 */
public record ContractInput(
        @Size(max = 200) String externalId,
        UUID accountId,
        @Size(max = 200) String accountExternalId,
        @NotNull(groups = ContractInput.Complete.class) LocalDate startDate,
        LocalDate endDate,

        @NotNull(groups = ContractInput.Complete.class) @PositiveOrZero @Digits(integer = 12, fraction = 2)
        BigDecimal arr,

        @PositiveOrZero Integer seats,
        @Size(max = 200) String plan,
        ContractStatus status,
        Boolean autoRenew,
        UUID previousContractId,
        @Size(max = 200) String previousContractExternalId) {

    /** Validation group for a record that must stand on its own (create and replace), where dates and ARR are needed. */
    public interface Complete {}
}
