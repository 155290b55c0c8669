package dev.steward.activity;

import dev.steward.customer.AccountId;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Facts about accounts that a module building on this one keeps in its own tables (the lifecycle module's stage moves
 * and owner changes), shown on the account timeline beside the activity facts; implemented there so that this module
 * need not know it. The timeline offers a source's kinds in its filter and merges its entries into every page.
 */
public interface TimelineSource {

    /** The kinds of entry this source gives, e.g. {@code stage}; none of them a kind of another source. */
    Set<String> kinds();

    /**
     * Up to {@code limit} of the account's entries of these kinds (some of {@link #kinds()}), in
     * {@link TimelineEntry#NEWEST_FIRST} order, each after {@code after} in that order ({@code null}: from the newest).
     * The timeline pages with one cursor across all kinds, so a source must answer every entry after the position and
     * none before it, or a page would lose or repeat entries.
     */
    List<TimelineEntry> entries(AccountId account, Set<String> kinds, Position after, int limit);

    /**
     * Where the previous page of the timeline ended: its last entry's time and id. The next page holds the entries
     * older than {@code at}, and those at {@code at} with an id lower than {@code id} (compared as PostgreSQL compares
     * uuids): in SQL, {@code (at, id) < (:at, :id)}.
     */
    record Position(Instant at, UUID id) {}
}
