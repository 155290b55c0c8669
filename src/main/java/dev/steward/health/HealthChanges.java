package dev.steward.health;

import dev.steward.health.engine.Color;
import dev.steward.health.engine.DimensionScore;
import dev.steward.health.engine.MeasureScore;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What moved an account's health between two days: the scores, colors and scorecard versions then and now, and each
 * measure whose points or raw value changed, by how much it moved the total (largest first).
 */
public record HealthChanges(
        LocalDate from,
        LocalDate to,
        double scoreBefore,
        double scoreAfter,
        Color colorBefore,
        Color colorAfter,
        String versionBefore,
        String versionAfter,
        List<MeasureChange> measures) {

    public HealthChanges {
        measures = List.copyOf(measures);
    }

    /**
     * One measure's move: raw values and points before and after ({@code null} where N/A) and the change of its
     * contribution to the total, in points.
     */
    public record MeasureChange(
            String dimension,
            String measure,
            Double rawBefore,
            Double rawAfter,
            Double pointsBefore,
            Double pointsAfter,
            double contributionChange) {}

    static HealthChanges between(AccountHealth before, AccountHealth after) {
        Map<String, MeasureScore> earlier = new HashMap<>();
        for (DimensionScore dimension : before.explanation().dimensions()) {
            for (MeasureScore measure : dimension.measures()) {
                earlier.put(dimension.name() + "/" + measure.name(), measure);
            }
        }
        List<MeasureChange> changes = new ArrayList<>();
        for (DimensionScore dimension : after.explanation().dimensions()) {
            for (MeasureScore now : dimension.measures()) {
                MeasureScore then = earlier.remove(dimension.name() + "/" + now.name());
                Double rawBefore = then == null ? null : then.rawValue();
                Double pointsBefore = then == null ? null : then.points();
                double contributionBefore = then == null ? 0 : then.contribution();
                if (!same(rawBefore, now.rawValue())
                        || !same(pointsBefore, now.points())
                        || Math.abs(contributionBefore - now.contribution()) >= 0.05) {
                    changes.add(new MeasureChange(
                            dimension.name(),
                            now.name(),
                            rawBefore,
                            now.rawValue(),
                            pointsBefore,
                            now.points(),
                            round(now.contribution() - contributionBefore)));
                }
            }
        }
        earlier.forEach((key, then) -> changes.add(new MeasureChange(
                key.substring(0, key.indexOf('/')),
                then.name(),
                then.rawValue(),
                null,
                then.points(),
                null,
                round(-then.contribution()))));
        changes.sort(Comparator.comparingDouble((MeasureChange c) -> -Math.abs(c.contributionChange())));
        return new HealthChanges(
                before.day(),
                after.day(),
                before.computedScore(),
                after.computedScore(),
                before.computedColor(),
                after.computedColor(),
                before.scorecard() + " v" + before.scorecardVersion(),
                after.scorecard() + " v" + after.scorecardVersion(),
                changes);
    }

    private static boolean same(Double a, Double b) {
        return a == null ? b == null : b != null && Math.abs(a - b) < 1e-9;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
