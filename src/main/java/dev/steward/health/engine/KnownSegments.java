package dev.steward.health.engine;

import java.util.Set;

/**
 * The segments a scorecard's {@code appliesTo} may name (as {@code "name" in segments}): whether this Steward keeps
 * segments at all, the published ones by name, and those whose members depend on health scores (their condition, or a
 * segment it names, reads {@code health.*}), which a scorecard may not name: the score it gives would move the account
 * in or out of the segment, and so to another scorecard, and back.
 */
public record KnownSegments(boolean kept, Set<String> names, Set<String> readingHealth) {

    /** Where no module keeps segments: a scorecard that names one is refused. */
    public static final KnownSegments NOT_KEPT = new KnownSegments(false, Set.of(), Set.of());

    public KnownSegments {
        names = Set.copyOf(names);
        readingHealth = Set.copyOf(readingHealth);
    }
}
