package dev.steward.customer;

import java.util.Set;
import java.util.UUID;

/**
 * These accounts themselves ({@code kind} {@code account}: created or their fields changed) or their contacts,
 * contracts, opportunities or attributes ({@code contact}, {@code contract}, {@code opportunity}, {@code attribute})
 * were created, changed or deleted, singly or in bulk; published in the writing transaction. Health scoring re-scores
 * the accounts within seconds, since segment attributes, champions, seats, ARR, renewal dates and attributes are read
 * from them; segments re-evaluate their membership.
 */
public record AccountRecordsChanged(String kind, Set<UUID> accounts) {

    /** The kind when the accounts' own fields (tier, owner, custom fields, …) were written. */
    public static final String ACCOUNT = "account";

    /** The kind when the accounts' contacts were created, changed (a role, a day they left) or deleted. */
    public static final String CONTACT = "contact";

    public AccountRecordsChanged {
        accounts = Set.copyOf(accounts);
    }
}
