package dev.steward.health;

import dev.steward.health.engine.Color;
import java.time.LocalDate;
import java.util.Map;

/**
 * What one scoring run did: the day, how many accounts it scored, by color, how many it left unscored because they had
 * churned (former customers, counted apart from the colors), how many changed color, and how long it took in all and
 * in its two parts: computing the scores, and storing them with the accounts' current health.
 */
public record ScoringRun(
        LocalDate day,
        int scored,
        Map<Color, Integer> colors,
        int churned,
        int colorChanges,
        long millis,
        long computeMillis,
        long storeMillis) {

    public ScoringRun {
        colors = Map.copyOf(colors);
    }
}
