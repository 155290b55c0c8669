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
        List<ContractId> renewedBy = successors.stream().map(Contract::id).toList();
        if (!successors.isEmpty()) {
            BigDecimal renewal = successors.stream().map(Contract::arr).reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal before = contract.arr();
            BigDecimal difference = renewal.subtract(before);
            RenewalOutcome outcome;
            String reason;
            if (difference.abs().compareTo(before.multiply(SAME_ARR_TOLERANCE)) <= 0) {
                outcome = RenewalOutcome.RENEWED;
                reason = "renewed at ARR " + renewal + ", within 1% of " + before;
            } else if (difference.signum() > 0) {
                outcome = RenewalOutcome.EXPANDED;
                reason = "renewed at ARR " + renewal + ", up from " + before;
            } else {
                outcome = RenewalOutcome.CONTRACTED;
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
        RenewalOutcome outcome;
        String reason;
        if (contract.status() == ContractStatus.CANCELLED) {
            outcome = RenewalOutcome.CHURNED;
            reason = "cancelled, and no contract renews it";
        } else if (!contract.endDate().isAfter(today)) {
            outcome = RenewalOutcome.CHURNED;
            reason = "ended on " + contract.endDate() + ", and no contract renews it";
        } else {
            outcome = RenewalOutcome.PENDING;
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
}
