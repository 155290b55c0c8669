package dev.steward.customer;

import java.util.Set;
import java.util.UUID;

/**
 * These accounts were created (through the API, a bulk upsert, a CSV import, Segment or Stripe), published in the
 * creating transaction beside {@link AccountRecordsChanged}, so that a new account is scored, or told why not, within
 * seconds rather than at the next daily re-score.
 */
public record AccountsCreated(Set<UUID> accounts) {

    public AccountsCreated {
        accounts = Set.copyOf(accounts);
    }
}
