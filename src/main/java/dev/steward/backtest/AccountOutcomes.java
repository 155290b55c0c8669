package dev.steward.backtest;

import dev.steward.activity.ChurnEvent;
import dev.steward.customer.ContractOutcomes.ContractOutcome;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What became of every account, from its contracts and churn events: when it churned (a churn event, or its last
 * contract in force ended without renewal) and when a contract was renewed, and whether it was a customer on a day.
 * A contract that ends while another of the account's contracts runs on is a renewal even when nothing names it as
 * the predecessor, as contracts imported from a CSV file often do not.
 */
final class AccountOutcomes {

    private final Map<UUID, List<ContractOutcome>> contracts = new HashMap<>();
    private final Map<UUID, TreeSet<LocalDate>> churns = new HashMap<>();
    private final Map<UUID, TreeSet<LocalDate>> renewals = new HashMap<>();

    AccountOutcomes(Collection<ContractOutcome> contracts, Collection<ChurnEvent> churnEvents) {
        contracts.forEach(c -> this.contracts
                .computeIfAbsent(c.account(), k -> new ArrayList<>())
                .add(c));
        churnEvents.forEach(e -> churns.computeIfAbsent(e.accountId().value(), k -> new TreeSet<>())
                .add(e.churnedOn()));
        this.contracts.forEach((account, terms) -> {
            for (ContractOutcome contract : terms) {
                switch (contract.outcome()) {
                    case RENEWED, EXPANDED, CONTRACTED -> renewed(account, contract.end());
                    case CHURNED -> {
                        boolean continued =
                                terms.stream().anyMatch(other -> other != contract && other.inForceOn(contract.end()));
                        if (continued) {
                            renewed(account, contract.end());
                        } else {
                            churns.computeIfAbsent(account, k -> new TreeSet<>())
                                    .add(contract.end());
                        }
                    }
                    case PENDING -> {}
                }
            }
        });
    }

    private void renewed(UUID account, LocalDate day) {
        renewals.computeIfAbsent(account, k -> new TreeSet<>()).add(day);
    }

    /**
     * Whether the account was a customer on the day: a contract of it was in force, or, for an account Steward knows
     * no contracts of, it had not churned yet.
     */
    boolean customerOn(UUID account, LocalDate day) {
        List<ContractOutcome> terms = contracts.get(account);
        if (terms != null) {
            return terms.stream().anyMatch(c -> c.inForceOn(day));
        }
        TreeSet<LocalDate> churned = churns.get(account);
        return churned == null || churned.floor(day) == null;
    }

    /** What became of the account in the days after {@code asOf} up to and including {@code asOf + horizon}. */
    Outcome outcome(UUID account, LocalDate asOf, int horizon) {
        if (churnedOn(account, asOf, horizon) != null) {
            return Outcome.CHURNED;
        }
        TreeSet<LocalDate> renewed = renewals.get(account);
        LocalDate next = renewed == null ? null : renewed.higher(asOf);
        return next != null && !next.isAfter(asOf.plusDays(horizon)) ? Outcome.RENEWED : Outcome.NONE;
    }

    /** The first day the account churned after {@code asOf} within the horizon, or {@code null}. */
    LocalDate churnedOn(UUID account, LocalDate asOf, int horizon) {
        TreeSet<LocalDate> churned = churns.get(account);
        LocalDate next = churned == null ? null : churned.higher(asOf);
        return next != null && !next.isAfter(asOf.plusDays(horizon)) ? next : null;
    }

    /** Every day the account churned, oldest first. */
    List<LocalDate> churnDays(UUID account) {
        TreeSet<LocalDate> churned = churns.get(account);
        return churned == null ? List.of() : List.copyOf(churned);
    }

    /** The accounts that churned at least once. */
    java.util.Set<UUID> churnedAccounts() {
        return churns.keySet();
    }
}
