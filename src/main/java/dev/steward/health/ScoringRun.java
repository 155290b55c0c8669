package dev.steward.health;

import java.time.LocalDate;
import java.util.Map;

/** What one scoring run did: the day, how many accounts it scored, by color, how many changed color, how long it took. */
public record ScoringRun(LocalDate day, int scored, Map<Color, Integer> colors, int colorChanges, long millis) {

    public ScoringRun {
        colors = Map.copyOf(colors);
    }
}
