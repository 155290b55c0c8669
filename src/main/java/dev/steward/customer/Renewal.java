package dev.steward.customer;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * What became of one contract at renewal, derived from the contracts that name it as their predecessor, with the
 * reason in words.
 */
public record Renewal(
        ContractId contractId,
        String externalId,
        LocalDate startDate,
        LocalDate endDate,
        BigDecimal arr,
        List<ContractId> renewedBy,
        BigDecimal renewalArr,
        RenewalOutcome outcome,
        String reason) {

    /** How far the renewal ARR may differ from the renewed contract's and still count as the same. */
    static final BigDecimal SAME_ARR_TOLERANCE = new BigDecimal("0.01");

    /**
     * The outcome of {@code contract} given its successors (the contracts that renew it, whose ARR is added up) as
     * known on {@code today}.
     */
    public static Renewal of(Contract contract, List<Contract> successors, LocalDate today) {
        RenewalOutcome derived = outcome(
                contract.arr(),
                successors.isEmpty()
                        ? null
                        : successors.stream().map(Contract::arr).reduce(BigDecimal.ZERO, BigDecimal::add),
                contract.status(),
                contract.endDate(),
                today);
        List<ContractId> renewedBy = successors.stream().map(Contract::id).toList();
        if (!successors.isEmpty()) {
            BigDecimal renewal = successors.stream().map(Contract::arr).reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal before = contract.arr();
            RenewalOutcome outcome = derived;
            String reason;
            if (outcome == RenewalOutcome.RENEWED) {
                reason = "renewed at ARR " + renewal + ", within 1% of " + before;
            } else if (outcome == RenewalOutcome.EXPANDED) {
                reason = "renewed at ARR " + renewal + ", up from " + before;
            } else {
                reason = "renewed at ARR " + renewal + ", down from " + before;
            }
            return new Renewal(
                    contract.id(),
                    contract.externalId(),
                    contract.startDate(),
                    contract.endDate(),
                    before,
                    renewedBy,
                    renewal,
                    outcome,
                    reason);
        }
        RenewalOutcome outcome = derived;
        String reason;
        if (contract.status() == ContractStatus.CANCELLED) {
            reason = "cancelled, and no contract renews it";
        } else if (outcome == RenewalOutcome.CHURNED) {
            reason = "ended on " + contract.endDate() + ", and no contract renews it";
        } else if (contract.endDate() == null) {
            reason = "open-ended: runs until it is ended";
        } else {
            reason = "runs until " + contract.endDate() + "; not renewed yet";
        }
        return new Renewal(
                contract.id(),
                contract.externalId(),
                contract.startDate(),
                contract.endDate(),
                contract.arr(),
                renewedBy,
                null,
                outcome,
                reason);
    }

    /**
     * What became of a contract of this ARR, given the summed ARR of the contracts that renew it ({@code null} when
     * none does), its status and end, as known on {@code today}: the one rule renewals and backtests share.
     */
    static RenewalOutcome outcome(
            BigDecimal arr, BigDecimal renewalArr, ContractStatus status, LocalDate endDate, LocalDate today) {
        if (renewalArr != null) {
            BigDecimal difference = renewalArr.subtract(arr);
            if (difference.abs().compareTo(arr.multiply(SAME_ARR_TOLERANCE)) <= 0) {
                return RenewalOutcome.RENEWED;
            }
            return difference.signum() > 0 ? RenewalOutcome.EXPANDED : RenewalOutcome.CONTRACTED;
        }
        if (status == ContractStatus.CANCELLED || (endDate != null && !endDate.isAfter(today))) {
            return RenewalOutcome.CHURNED;
        }
        return RenewalOutcome.PENDING;
    }
}
