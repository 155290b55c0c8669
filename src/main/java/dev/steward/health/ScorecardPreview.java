package dev.steward.health;

import dev.steward.health.engine.Color;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What publishing a version would do, on current data: every account's color under the published scorecards and
 * under the set with this version in place of its scorecard's published one, and the accounts that would change
 * color (the largest score moves first, then the lowest new scores; at most {@link #LISTED}).
 */
public record ScorecardPreview(
        String scorecard,
        int version,
        LocalDate day,
        Map<Color, Integer> published,
        Map<Color, Integer> preview,
        int accountsScored,
        int changedColor,
        List<Change> changes) {

    /** How many changes a preview lists. */
    public static final int LISTED = 500;

    public ScorecardPreview {
        published = Map.copyOf(published);
        preview = Map.copyOf(preview);
        changes = List.copyOf(changes);
    }

    /** One account whose color would change. */
    public record Change(
            UUID account,
            String name,
            String scorecardBefore,
            String scorecardAfter,
            double scoreBefore,
            double scoreAfter,
            Color colorBefore,
            Color colorAfter) {}
}
