package dev.steward.activity;

import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;

/**
 * One fact on an account's timeline: its kind (e.g. {@code ticket}, {@code invoice}, {@code stage}), when it became
 * true, a title and summary to show, and the fact's id within its kind.
 */
public record TimelineEntry(String kind, UUID id, Instant at, String title, String summary) {

    /**
     * The timeline's order: newest first, and entries of the same instant by id, highest first. Ids compare as
     * PostgreSQL compares uuids (byte by byte, unsigned), not as {@link UUID#compareTo} does (signed), so that entries
     * sorted here and rows sorted by {@code order by at desc, id desc} page alike.
     */
    public static final Comparator<TimelineEntry> NEWEST_FIRST = Comparator.comparing(TimelineEntry::at)
            .thenComparing(TimelineEntry::id, TimelineEntry::compareUnsigned)
            .reversed();

    private static int compareUnsigned(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }
}
