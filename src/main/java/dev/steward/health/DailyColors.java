package dev.steward.health;

import dev.steward.health.engine.Color;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Accounts' stored health colors on several days, read at once: each account's color on each day (by the day's index in
 * {@link #days()}), and whether anyone was scored in the span a day's colors are read from. On a day nobody was, health
 * is not known (no data), which is not the same as Black on a day others were scored.
 */
public final class DailyColors {

    private final List<LocalDate> days;
    private final boolean[] anyScored;
    private final Map<UUID, Color[]> colors;

    DailyColors(List<LocalDate> days, boolean[] anyScored, Map<UUID, Color[]> colors) {
        this.days = List.copyOf(days);
        this.anyScored = anyScored.clone();
        this.colors = colors;
    }

    /** The days, in the order they were asked for. */
    public List<LocalDate> days() {
        return days;
    }

    /** Whether any account was scored in the span the colors of the day at this index are read from. */
    public boolean anyScored(int day) {
        return anyScored[day];
    }

    /** The account's stored color on the day at this index; {@code null} when it had none then. */
    public @Nullable Color colorOf(UUID account, int day) {
        Color[] of = colors.get(account);
        return of == null ? null : of[day];
    }

    /** The accounts with a color on at least one of the days. */
    public Set<UUID> accounts() {
        return Collections.unmodifiableSet(colors.keySet());
    }
}
