package dev.steward.customer;

import java.util.Set;
import java.util.UUID;

/**
 * Contacts, contracts or opportunities ({@code kind}: {@code contact}, {@code contract}, {@code opportunity},
 * {@code attribute}) of these
 * accounts were created, changed or deleted, singly or in bulk; published in the writing transaction. Health scoring
 * re-scores the accounts within seconds, since champions, seats, ARR, renewal dates and attributes are read from them.
 */
public record AccountRecordsChanged(String kind, Set<UUID> accounts) {

    public AccountRecordsChanged {
        accounts = Set.copyOf(accounts);
    }
}
