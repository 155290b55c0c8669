package dev.steward.health.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** The color of a health score; Black means too little of the scorecard had data to trust the number. */
public enum Color {
    RED,
    YELLOW,
    GREEN,
    BLACK;

    /** As APIs and pages write it: {@code green}. */
    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A color as a client writes it, in any case; an unknown one names the known ones. */
    @JsonCreator
    public static Color of(String value) {
        return Arrays.stream(values())
                .filter(color -> color.name().equalsIgnoreCase(value == null ? "" : value.strip()))
                .findFirst()
                .orElseThrow(() ->
                        new IllegalArgumentException("unknown color '" + value + "'; use green, yellow, red or black"));
    }
}
