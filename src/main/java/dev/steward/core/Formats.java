package dev.steward.core;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * How every page writes days, times and numbers, one way each: {@code 6 Dec 2026}, {@code 6 Dec 2026 14:05} (in
 * Steward's time zone), {@code $1,234,567}, {@code 1,234}, a score as {@code 72.5}, a change as {@code +2.0}, a share
 * as {@code 42%} (or {@code 42.3%}), a ratio as {@code 0.812}. Templates call it as {@code ${@formats.day(d)}}; absent values read "—".
 */
@Component("formats")
public class Formats {

    /** What a missing value reads. */
    public static final String NONE = "—";

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMM yyyy", Locale.ENGLISH);

    private final ZoneId zone;

    public Formats(Clock clock) {
        this.zone = clock.getZone();
    }

    /** A day: {@code 6 Dec 2026}; an instant is read in Steward's time zone. */
    public String day(Object value) {
        return value == null ? NONE : DAY.format(temporal(value));
    }

    /** A day and time to the minute: {@code 6 Dec 2026 14:05}, in Steward's time zone. */
    public String time(Object value) {
        return value == null ? NONE : TIME.format(temporal(value));
    }

    /** A month: {@code Dec 2026}. */
    public String month(Object value) {
        return value == null ? NONE : MONTH.format(temporal(value));
    }

    /** An amount of money in whole dollars: {@code $1,234,567}. */
    public String money(Number value) {
        if (value == null) {
            return NONE;
        }
        return (decimal(value).signum() < 0 ? "-$" : "$")
                + grouped(0).format(decimal(value).abs().setScale(0, RoundingMode.HALF_UP));
    }

    /**
     * An anchor within a page made of names, so that a link can point at one part of it (a scorecard's measure in its
     * methodology): {@code ("measure", "Product", "Login frequency")} → {@code measure-product-login-frequency}.
     */
    public String anchor(String part) {
        return anchorOf(part);
    }

    /** An anchor of two names (templates may not build arrays, so no varargs). */
    public String anchor(String first, String second) {
        return anchorOf(first, second);
    }

    /** An anchor of three names. */
    public String anchor(String first, String second, String third) {
        return anchorOf(first, second, third);
    }

    private static String anchorOf(String... parts) {
        StringBuilder anchor = new StringBuilder();
        for (String part : parts) {
            String slug = part == null
                    ? ""
                    : part.toLowerCase(java.util.Locale.ROOT)
                            .replaceAll("[^\\p{L}\\p{N}]+", "-")
                            .replaceAll("^-|-$", "");
            if (!slug.isEmpty()) {
                anchor.append(anchor.isEmpty() ? "" : "-").append(slug);
            }
        }
        return anchor.toString();
    }

    /** A count: {@code 1,234}. */
    public String count(Number value) {
        return value == null ? NONE : grouped(0).format(decimal(value).setScale(0, RoundingMode.HALF_UP));
    }

    /** A health score or points, to one decimal: {@code 72.5}. */
    public String score(Number value) {
        return value == null ? NONE : grouped(1).format(decimal(value).setScale(1, RoundingMode.HALF_UP));
    }

    /** A change in points, signed: {@code +2.0}, {@code -3.5}, {@code 0.0}. */
    public String change(Number value) {
        if (value == null) {
            return NONE;
        }
        BigDecimal rounded = decimal(value).setScale(1, RoundingMode.HALF_UP);
        return (rounded.signum() > 0 ? "+" : "") + grouped(1).format(rounded);
    }

    /** A fraction as a whole percentage: 0.42 → {@code 42%}. */
    public String percent(Number fraction) {
        return fraction == null
                ? NONE
                : grouped(0).format(decimal(fraction).movePointRight(2).setScale(0, RoundingMode.HALF_UP)) + "%";
    }

    /** A fraction as a percentage to a tenth, where a point matters (a backtest's accuracy): 0.4231 → {@code 42.3%}. */
    public String percentToTenth(Number fraction) {
        return fraction == null
                ? NONE
                : grouped(1).format(decimal(fraction).movePointRight(2).setScale(1, RoundingMode.HALF_UP)) + "%";
    }

    /** A ratio between 0 and 1 read as such (a ROC AUC), to three decimals: {@code 0.812}. */
    public String ratio(Number value) {
        return value == null ? NONE : grouped(3).format(decimal(value).setScale(3, RoundingMode.HALF_UP));
    }

    private TemporalAccessor temporal(Object value) {
        if (value instanceof Instant instant) {
            return instant.atZone(zone);
        }
        if (value instanceof OffsetDateTime time) {
            return time.atZoneSameInstant(zone);
        }
        if (value instanceof ZonedDateTime time) {
            return time.withZoneSameInstant(zone);
        }
        if (value instanceof TemporalAccessor other) {
            return other;
        }
        throw new IllegalArgumentException(
                "not a day or time: " + value.getClass().getName());
    }

    private static BigDecimal decimal(Number value) {
        return value instanceof BigDecimal d ? d : new BigDecimal(value.toString());
    }

    private static DecimalFormat grouped(int decimals) {
        DecimalFormat format = new DecimalFormat(
                decimals == 0 ? "#,##0" : "#,##0." + "0".repeat(decimals),
                DecimalFormatSymbols.getInstance(Locale.ENGLISH));
        format.setRoundingMode(RoundingMode.HALF_UP);
        return format;
    }
}
