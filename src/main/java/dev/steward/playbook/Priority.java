package dev.steward.playbook;

import java.util.Locale;

/** How urgent a CTA is, lowest first. */
public enum Priority {
    LOW,
    MEDIUM,
    HIGH,
    URGENT;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The next level up; urgent stays urgent. */
    Priority raised() {
        return this == URGENT ? URGENT : values()[ordinal() + 1];
    }

    static Priority of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
