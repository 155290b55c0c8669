package dev.steward.lifecycle;

import dev.steward.customer.AccountId;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Accounts came to other owners — by the assignment rules, a balancing move, a person's hand or a change of the
 * account record — in the transaction that recorded it. {@code from} or {@code to} is {@code null} for no owner.
 */
public record OwnerChanged(List<Change> changes, Instant at) {

    public OwnerChanged {
        changes = List.copyOf(changes);
    }

    /**
     * One account's change: the owners' user ids before and after, the cause ({@code rule}, {@code balance},
     * {@code manual}, {@code record}) and the territory it is in now ({@code null} outside the rules).
     */
    public record Change(AccountId account, UUID from, UUID to, String cause, String territory) {}
}
