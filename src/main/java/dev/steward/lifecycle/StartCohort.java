package dev.steward.lifecycle;

import dev.steward.core.BadRequestException;
import java.time.LocalDate;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The accounts whose first contract started in one calendar quarter, written {@code 2025-Q3}. */
public record StartCohort(int year, int quarter) {

    private static final Pattern WRITTEN = Pattern.compile("(\\d{4})-Q([1-4])");

    public StartCohort {
        if (quarter < 1 || quarter > 4) {
            throw new IllegalArgumentException("a quarter is 1 to 4, not " + quarter);
        }
    }

    /** The cohort written as {@code 2025-Q3} (a {@code q} is read as {@code Q}); 400 naming {@code cohort} otherwise. */
    public static StartCohort parse(String written) {
        Matcher matcher = WRITTEN.matcher(written.strip().toUpperCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new BadRequestException(
                    "cohort", "'" + written + "' is not a quarter; write the year and quarter, e.g. 2025-Q3");
        }
        return new StartCohort(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
    }

    /** The cohort of the quarter that a day falls in. */
    public static StartCohort of(LocalDate day) {
        return new StartCohort(day.getYear(), (day.getMonthValue() - 1) / 3 + 1);
    }

    public LocalDate firstDay() {
        return LocalDate.of(year, (quarter - 1) * 3 + 1, 1);
    }

    public LocalDate lastDay() {
        return firstDay().plusMonths(3).minusDays(1);
    }

    @Override
    public String toString() {
        return year + "-Q" + quarter;
    }
}
