package dev.steward.lifecycle;

import java.util.Set;
import java.util.UUID;

/**
 * Onboarding milestones of these accounts were completed, their completion replaced or taken back, in the transaction
 * that recorded it (the cockpit's overdue milestones read them).
 */
public record MilestonesChanged(Set<UUID> accounts) {

    public MilestonesChanged {
        accounts = Set.copyOf(accounts);
    }
}
