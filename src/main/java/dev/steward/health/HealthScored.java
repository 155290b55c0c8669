package dev.steward.health;

import java.time.LocalDate;
import java.util.Set;
import java.util.UUID;

/**
 * Today's scores of these accounts ({@code everyAccount}: of every account, with {@code accounts} empty) were stored
 * and are now each account's current health; published in the transaction that stores them, once per scoring run, so
 * that what reads current health (segments) can follow within seconds.
 */
public record HealthScored(LocalDate day, boolean everyAccount, Set<UUID> accounts) {

    public HealthScored {
        accounts = Set.copyOf(accounts);
    }
}
