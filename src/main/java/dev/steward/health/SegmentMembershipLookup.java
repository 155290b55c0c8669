package dev.steward.health;

import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Segment membership as health and backtests read it, implemented by the module that keeps segments (lifecycle),
 * which health may not depend on: the published segments a scorecard's {@code appliesTo} may name, and which of them
 * accounts were in when a day ended. Without an implementation, a scorecard that names a segment is refused.
 */
public interface SegmentMembershipLookup {

    /** Every published segment. */
    List<PublishedSegment> segments();

    /**
     * Which of the named segments each of these accounts was in when each of these days ended (in the clock's zone);
     * an unknown name has no members.
     */
    SegmentMembership membership(Collection<String> segments, Collection<UUID> accounts, Collection<LocalDate> days);

    /** The accounts in any of the named segments now, each with those of them it is in; an unknown name has none. */
    Map<UUID, Set<String>> currentMembers(Collection<String> segments);

    /**
     * A published segment: its name, whether its members follow a condition (a rule segment) or are picked by hand,
     * and whether they depend on health scores (its condition, or a segment it names, reads {@code health.*}).
     */
    record PublishedSegment(String name, boolean rule, boolean readsHealth) {}

    /** Which of some segments accounts were in when each of some days ended. */
    record SegmentMembership(Map<LocalDate, Map<UUID, Set<String>>> byDay) {

        /** No account in any segment. */
        public static final SegmentMembership NONE = new SegmentMembership(Map.of());

        /** The segments (of those asked about) the account was in when the day ended; none if it was not asked about. */
        public Set<String> of(UUID account, LocalDate day) {
            Map<UUID, Set<String>> members = byDay.get(day);
            if (members == null) {
                return Set.of();
            }
            return members.getOrDefault(account, Set.of());
        }
    }
}
