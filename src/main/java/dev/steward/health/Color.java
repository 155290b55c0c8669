package dev.steward.health;

/** The color of a health score; Black means too little of the scorecard had data to trust the number. */
public enum Color {
    RED,
    YELLOW,
    GREEN,
    BLACK
}
