package dev.steward.customer;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A contract or subscription as stored. It covers the days from {@code startDate} up to, but not including, {@code
 * endDate}, or from {@code startDate} on while it has none (open-ended); a renewal names the contract it renews in
 * {@code previousContractId}.
 */
public record Contract(
        ContractId id,
        AccountId accountId,
        LocalDate startDate,
        LocalDate endDate,
        BigDecimal arr,
        Integer seats,
        String plan,
        ContractStatus status,
        boolean autoRenew,
        ContractId previousContractId,
        String source,
        String externalId,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    /** Monthly recurring revenue: ARR spread over twelve months. */
    @JsonProperty("mrr")
    public BigDecimal mrr() {
        return arr.divide(BigDecimal.valueOf(12), 2, RoundingMode.HALF_UP);
    }

    /**
     * Whether the contract counts towards ARR on {@code day}, as known on {@code today}: the day lies in its term
     * and, from today on, it has not been ended or cancelled early.
     */
    public boolean countsOn(LocalDate day, LocalDate today) {
        return !startDate.isAfter(day)
                && (endDate == null || day.isBefore(endDate))
                && (status == ContractStatus.ACTIVE || day.isBefore(today));
    }
}
