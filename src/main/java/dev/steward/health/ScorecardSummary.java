package dev.steward.health;

import java.time.Instant;

/**
 * A scorecard as the list shows it: the version that scores accounts (if any), its newest draft (if any), and
 * which accounts it is for, read from the published version or, before the first publication, from the newest draft.
 */
public record ScorecardSummary(
        String name,
        Integer publishedVersion,
        Integer latestDraft,
        Integer priority,
        String appliesTo,
        Instant createdAt) {}
