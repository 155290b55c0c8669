package dev.steward.backtest;

import dev.steward.activity.ChurnEvent;
import dev.steward.customer.ContractOutcomes.ContractOutcome;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What became of every account, from its contracts and churn events, as far as the data tells: when it churned (a
 * churn event, or its last contract in force ended without renewal), when a contract was renewed, whether it was a
 * customer on a day, and until when its data can tell.
 *
 * <p>The truth rules of backtests hold here. Being a customer on a day depends only on that day's facts: a contract in
 * force then, or, for an account Steward knows no contract of at all, a fact of it dated on or before the day and no
 * churn yet. Each account's outcomes are known up to the data horizon of the sources its contracts and churn events come
 * from ({@link #knownUntil}); a horizon window that runs past it is censored, never "retained", and a contract that ends
 * after it without a renewal in the data has not churned (its renewal may simply not be in the data). A contract that
 * ends while another of the account's contracts runs on is a renewal even when nothing names it as the predecessor, as
 * contracts imported from a CSV file often do not. Churns of one account within {@value #SAME_CHURN_DAYS} days of each
 * other (a churn event and the contract ends it announced, several subscriptions ending together) are one churn.
 */
final class AccountOutcomes implements Outcomes {

    /** Churn dates of one account this close together are one churn. */
    static final int SAME_CHURN_DAYS = 31;

    private final Map<UUID, List<ContractOutcome>> contracts = new HashMap<>();
    private final Set<UUID> withContracts;
    private final Map<UUID, LocalDate> firstFacts;
    private final Map<UUID, TreeSet<LocalDate>> churns = new HashMap<>();
    private final Map<UUID, TreeSet<LocalDate>> renewals = new HashMap<>();
    private final Map<UUID, LocalDate> knownUntil = new HashMap<>();
    private final LocalDate knownUntilOtherwise;

    /**
     * @param contracts the contracts that touch the days being judged
     * @param churnEvents every churn event
     * @param withContracts every account that has a contract at any time
     * @param firstFacts for accounts without any contract, the day of their first fact (usage, a ticket …)
     * @param horizons each source's data horizon: the last day any of its facts became true, no later than today
     * @param knownUntilOtherwise how far outcomes are known for an account whose contracts and churn events come from no
     *     source with a horizon (an account without either): the latest horizon of the sources that tell churn
     */
    AccountOutcomes(
            Collection<ContractOutcome> contracts,
            Collection<ChurnEvent> churnEvents,
            Set<UUID> withContracts,
            Map<UUID, LocalDate> firstFacts,
            Map<String, LocalDate> horizons,
            LocalDate knownUntilOtherwise) {
        this.withContracts = Set.copyOf(withContracts);
        this.firstFacts = Map.copyOf(firstFacts);
        this.knownUntilOtherwise = knownUntilOtherwise;
        contracts.forEach(c -> {
            this.contracts.computeIfAbsent(c.account(), k -> new ArrayList<>()).add(c);
            widenKnown(c.account(), horizons.get(c.source()));
        });
        churnEvents.forEach(e -> widenKnown(e.accountId().value(), horizons.get(e.source())));
        churnEvents.forEach(e -> {
            if (!e.churnedOn().isAfter(knownUntil(e.accountId().value()))) {
                churns.computeIfAbsent(e.accountId().value(), k -> new TreeSet<>())
                        .add(e.churnedOn());
            }
        });
        this.contracts.forEach((account, terms) -> {
            LocalDate known = knownUntil(account);
            for (ContractOutcome contract : terms) {
                if (contract.end() == null || contract.end().isAfter(known)) {
                    // Still in force where the data ends: what became of it is not in the data.
                    continue;
                }
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

    private void widenKnown(UUID account, LocalDate horizon) {
        if (horizon != null) {
            knownUntil.merge(account, horizon, (a, b) -> a.isAfter(b) ? a : b);
        }
    }

    private void renewed(UUID account, LocalDate day) {
        renewals.computeIfAbsent(account, k -> new TreeSet<>()).add(day);
    }

    /** The last day on which what became of the account is known: the horizon of the sources of its contracts. */
    LocalDate knownUntil(UUID account) {
        return knownUntil.getOrDefault(account, knownUntilOtherwise);
    }

    /** Whether what became of the account within the horizon after {@code asOf} runs past what the data can tell. */
    @Override
    public boolean censored(UUID account, LocalDate asOf, int horizon) {
        return asOf.plusDays(horizon).isAfter(knownUntil(account));
    }

    /**
     * Whether the account was a customer on the day: a contract of it was in force, or, for an account Steward knows no
     * contract of, it had a fact by then and had not churned since.
     */
    @Override
    public boolean customerOn(UUID account, LocalDate day) {
        if (withContracts.contains(account)) {
            List<ContractOutcome> terms = contracts.get(account);
            return terms != null && terms.stream().anyMatch(c -> c.inForceOn(day));
        }
        LocalDate first = firstFacts.get(account);
        if (first == null || first.isAfter(day)) {
            return false;
        }
        TreeSet<LocalDate> churned = churns.get(account);
        LocalDate lastChurn = churned == null ? null : churned.floor(day);
        return lastChurn == null || lastChurn.isBefore(first);
    }

    /** What became of the account in the days after {@code asOf} up to and including {@code asOf + horizon}. */
    @Override
    public Outcome outcome(UUID account, LocalDate asOf, int horizon) {
        if (churnedOn(account, asOf, horizon) != null) {
            return Outcome.CHURNED;
        }
        TreeSet<LocalDate> renewed = renewals.get(account);
        LocalDate next = renewed == null ? null : renewed.higher(asOf);
        return next != null && !next.isAfter(asOf.plusDays(horizon)) ? Outcome.RENEWED : Outcome.NONE;
    }

    /** The first day the account churned after {@code asOf} within the horizon, or {@code null}. */
    @Override
    public LocalDate churnedOn(UUID account, LocalDate asOf, int horizon) {
        TreeSet<LocalDate> churned = churns.get(account);
        LocalDate next = churned == null ? null : churned.higher(asOf);
        return next != null && !next.isAfter(asOf.plusDays(horizon)) ? next : null;
    }

    /** One churn of an account: from its first to its last day (a churn event and the contract ends it announced). */
    record Churn(LocalDate first, LocalDate last) {}

    /**
     * The account's churns, oldest first: churn days within {@value #SAME_CHURN_DAYS} days of the one before are the same
     * churn, however many churn events and contract ends it took.
     */
    List<Churn> churns(UUID account) {
        TreeSet<LocalDate> churned = churns.get(account);
        if (churned == null) {
            return List.of();
        }
        List<Churn> merged = new ArrayList<>();
        LocalDate first = null;
        LocalDate previous = null;
        for (LocalDate day : churned) {
            if (previous != null && day.isAfter(previous.plusDays(SAME_CHURN_DAYS))) {
                merged.add(new Churn(first, previous));
                first = null;
            }
            first = first == null ? day : first;
            previous = day;
        }
        merged.add(new Churn(first, previous));
        return merged;
    }

    /** The first day of each of the account's churns, oldest first. */
    @Override
    public List<LocalDate> churnDays(UUID account) {
        return churns(account).stream().map(Churn::first).toList();
    }

    /** The accounts that churned at least once. */
    @Override
    public Set<UUID> churnedAccounts() {
        return churns.keySet();
    }
}
