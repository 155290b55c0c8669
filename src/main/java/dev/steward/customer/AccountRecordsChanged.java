package dev.steward.customer;

import java.time.LocalDate;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * These accounts themselves ({@code kind} {@code account}: created or their fields changed) or their contacts,
 * contracts, opportunities or attributes ({@code contact}, {@code contract}, {@code opportunity}, {@code attribute})
 * were created, changed or deleted, singly or in bulk; published in the writing transaction. Health scoring re-scores
 * the accounts within seconds, since segment attributes, champions, seats, ARR, renewal dates and attributes are read
 * from them; segments re-evaluate their membership. A single contract's write also tells the {@code days} it counted on
 * before or after the change (the only days whose ARR it can have moved); {@code null} when not told.
 */
public record AccountRecordsChanged(
        String kind, Set<UUID> accounts, @Nullable Days days) {

    /** The kind when the accounts' own fields (tier, owner, custom fields, …) were written. */
    public static final String ACCOUNT = "account";

    /** The kind when the accounts' contacts were created, changed (a role, a day they left) or deleted. */
    public static final String CONTACT = "contact";

    /** The kind when the accounts' contracts were created, changed or deleted. */
    public static final String CONTRACT = "contract";

    public AccountRecordsChanged {
        accounts = Set.copyOf(accounts);
    }

    /** Records changed without saying on which days they counted. */
    public AccountRecordsChanged(String kind, Set<UUID> accounts) {
        this(kind, accounts, null);
    }

    /** The days from {@code from} up to the day before {@code until} ({@code null}: with no end). */
    public record Days(LocalDate from, @Nullable LocalDate until) {

        /** The days of both spans and any between them. */
        public Days and(Days other) {
            LocalDate end =
                    until == null || other.until == null ? null : until.isAfter(other.until) ? until : other.until;
            return new Days(from.isBefore(other.from) ? from : other.from, end);
        }

        /** Whether any of these days lies from {@code first} to {@code last} (both included). */
        public boolean overlaps(LocalDate first, LocalDate last) {
            return !from.isAfter(last) && (until == null || until.isAfter(first));
        }
    }
}
