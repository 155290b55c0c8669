package dev.steward.health.engine;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** What a scoring rule gave a value (0–100) and why, in words a CSM can read. */
public record Points(double value, String reason) {

    public Points {
        if (!(value >= 0 && value <= 100)) {
            throw new IllegalArgumentException("points must be between 0 and 100, were " + value);
        }
    }

    /** A number as reasons write it: at most two decimals, no trailing zeros ({@code 0.34}, {@code 23.33}, {@code 40}). */
    public static String format(double number) {
        return BigDecimal.valueOf(number)
                .setScale(2, RoundingMode.HALF_UP)
                .stripTrailingZeros()
                .toPlainString();
    }
}
