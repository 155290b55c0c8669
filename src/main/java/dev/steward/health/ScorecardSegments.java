package dev.steward.health;

import dev.steward.core.VersionedDocuments;
import dev.steward.health.SegmentMembershipLookup.PublishedSegment;
import dev.steward.health.SegmentMembershipLookup.SegmentMembership;
import dev.steward.health.engine.KnownSegments;
import dev.steward.health.engine.ScorecardDocuments;
import dev.steward.health.engine.ScorecardProblem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * The segments scorecards name, through the {@link SegmentMembershipLookup} of the module that keeps segments (when it
 * runs): which may be named, who was in them on a day, and whether a published scorecard names a segment, so that a
 * change of its members re-scores them.
 */
@Component
class ScorecardSegments {

    private final ObjectProvider<SegmentMembershipLookup> lookup;
    private final VersionedDocuments<ScorecardProblem> scorecards;

    // The segments each published document names, by its text: read once per version rather than at every change of
    // membership.
    private final Map<String, Set<String>> named = new ConcurrentHashMap<>();

    private final Clock clock;

    ScorecardSegments(
            ObjectProvider<SegmentMembershipLookup> lookup,
            VersionedDocuments<ScorecardProblem> scorecards,
            Clock clock) {
        this.lookup = lookup;
        this.scorecards = scorecards;
        this.clock = clock;
    }

    /** The segments a scorecard may name: none when no module keeps segments. */
    KnownSegments known() {
        SegmentMembershipLookup segments = lookup.getIfAvailable();
        if (segments == null) {
            return KnownSegments.NOT_KEPT;
        }
        Set<String> names = new HashSet<>();
        Set<String> readingHealth = new HashSet<>();
        for (PublishedSegment segment : segments.segments()) {
            names.add(segment.name());
            if (segment.readsHealth()) {
                readingHealth.add(segment.name());
            }
        }
        return new KnownSegments(true, names, readingHealth);
    }

    /** Which of the named segments these accounts were in when each day ended; none when no segment is named. */
    SegmentMembership membership(Set<String> segments, Collection<UUID> accounts, Collection<LocalDate> days) {
        SegmentMembershipLookup membership = lookup.getIfAvailable();
        if (segments.isEmpty() || accounts.isEmpty() || membership == null) {
            return SegmentMembership.NONE;
        }
        return membership.membership(segments, accounts, days);
    }

    /** The accounts in any of these segments now, each with those it is in; none when no module keeps segments. */
    Map<UUID, Set<String>> currentMembers(Set<String> segments) {
        SegmentMembershipLookup membership = lookup.getIfAvailable();
        if (segments.isEmpty() || membership == null) {
            return Map.of();
        }
        return membership.currentMembers(segments);
    }

    /**
     * Whether a published scorecard names the segment in its {@code appliesTo}. The names are read again when a
     * scorecard is published here and at least every {@link #NAMES_KEPT} (for publications on another instance), not
     * at every change of membership: a first evaluation of 100,000 accounts changes each segment's members once per
     * batch.
     */
    boolean namedByPublished(String segment) {
        NamedByPublished kept = namedByPublished;
        Instant now = clock.instant();
        if (kept == null || !now.isBefore(kept.readAt().plus(NAMES_KEPT))) {
            Set<String> names = new HashSet<>();
            for (VersionedDocuments.Published<ScorecardProblem> published : scorecards.published()) {
                names.addAll(named.computeIfAbsent(published.text().yaml(), ScorecardSegments::segmentsIn));
            }
            kept = new NamedByPublished(Set.copyOf(names), now);
            namedByPublished = kept;
        }
        return kept.names().contains(segment);
    }

    /** How long the segments named by published scorecards are kept at most. */
    static final Duration NAMES_KEPT = Duration.ofMinutes(1);

    private record NamedByPublished(Set<String> names, Instant readAt) {}

    private volatile @Nullable NamedByPublished namedByPublished;

    /** Once a publication has committed, the names are read again at the next change of membership. */
    @ApplicationModuleListener
    void on(ScorecardPublished published) {
        namedByPublished = null;
    }

    private static Set<String> segmentsIn(String yaml) {
        var read = new ScorecardDocuments(Set.of()).read(yaml).scorecard();
        return read == null ? Set.of() : ScorecardDocuments.segmentsNamed(read);
    }
}
