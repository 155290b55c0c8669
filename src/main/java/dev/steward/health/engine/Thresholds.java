package dev.steward.health.engine;

/** Where the colors change: scores up to {@code red} are Red, up to {@code yellow} Yellow, above it Green. */
public record Thresholds(int red, int yellow) {

    public static final Thresholds DEFAULT = new Thresholds(40, 70);

    public Thresholds {
        if (red < 0 || yellow > 100 || red >= yellow) {
            throw new IllegalArgumentException(
                    "thresholds must satisfy 0 <= red < yellow <= 100, were " + red + " and " + yellow);
        }
    }

    /** The color of a score (already rounded as it is shown), before any coverage rule. */
    public Color colorOf(double score) {
        if (score <= red) {
            return Color.RED;
        }
        return score <= yellow ? Color.YELLOW : Color.GREEN;
    }
}
