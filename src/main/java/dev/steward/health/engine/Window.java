package dev.steward.health.engine;

import java.util.Objects;

/** A lookback window such as {@code 30d} or {@code 12w}, kept in the unit it was written in. */
public record Window(int amount, Unit unit) {

    /** The units a window can be written in. */
    public enum Unit {
        DAYS("d", 1),
        WEEKS("w", 7);

        private final String suffix;
        private final int days;

        Unit(String suffix, int days) {
            this.suffix = suffix;
            this.days = days;
        }

        public String suffix() {
            return suffix;
        }
    }

    public Window {
        Objects.requireNonNull(unit, "unit");
        if (amount <= 0) {
            throw new IllegalArgumentException("a window must be positive, was " + amount + unit.suffix);
        }
    }

    public static Window days(int amount) {
        return new Window(amount, Unit.DAYS);
    }

    public int lengthInDays() {
        return amount * unit.days;
    }

    @Override
    public String toString() {
        return amount + unit.suffix;
    }
}
