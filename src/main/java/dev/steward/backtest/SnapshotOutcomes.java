package dev.steward.backtest;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What became of the accounts of a labelled snapshot: each labelled account is observed on the snapshot's day, and
 * churned within the snapshot's horizon exactly when its label says so. When it churned is not known, so nothing is
 * made up for it: no churn day, no lead time.
 */
final class SnapshotOutcomes implements Outcomes {

    private final Map<UUID, Boolean> labels;
    private final LocalDate asOf;
    private final Set<UUID> churned = new HashSet<>();

    SnapshotOutcomes(Map<UUID, Boolean> labels, LocalDate asOf) {
        this.labels = Map.copyOf(labels);
        this.asOf = asOf;
        labels.forEach((account, churn) -> {
            if (churn) {
                churned.add(account);
            }
        });
    }

    @Override
    public boolean customerOn(UUID account, LocalDate day) {
        return day.equals(asOf) && labels.containsKey(account);
    }

    @Override
    public boolean censored(UUID account, LocalDate asOf, int horizon) {
        return false;
    }

    @Override
    public Outcome outcome(UUID account, LocalDate asOf, int horizon) {
        return churned.contains(account) ? Outcome.CHURNED : Outcome.NONE;
    }

    @Override
    public LocalDate churnedOn(UUID account, LocalDate asOf, int horizon) {
        return null;
    }

    @Override
    public List<LocalDate> churnDays(UUID account) {
        return List.of();
    }

    @Override
    public Set<UUID> churnedAccounts() {
        return Set.copyOf(churned);
    }
}
