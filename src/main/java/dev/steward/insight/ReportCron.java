package dev.steward.insight;

import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.springframework.scheduling.support.CronExpression;

/**
 * When a report goes out: a cron expression (Spring's six fields, second minute hour day-of-month month day-of-week,
 * such as {@code 0 0 7 * * MON}) read in an IANA time zone ({@code Europe/Berlin}), so that "7:00 on Mondays" stays
 * 7:00 across daylight-saving changes. At most one report an hour: a report every minute is a mistake, not a need.
 */
record ReportCron(String expression, ZoneId zone) {

    static final int MAX_LENGTH = 200;
    static final Duration SHORTEST_GAP = Duration.ofHours(1);
    /** How many runs the shortest-gap check looks at. */
    private static final int RUNS_CHECKED = 200;

    /** The expression and zone as typed, checked together; each field at fault is named. */
    static ReportCron parse(String expression, String zone, Instant now) {
        List<FieldError> errors = new ArrayList<>();
        CronExpression cron = null;
        String typed = expression == null ? "" : expression.strip().replaceAll("\\s+", " ");
        if (typed.isEmpty()) {
            errors.add(FieldError.of("cron", "is required, such as '0 0 7 * * MON' (07:00 on Mondays)"));
        } else if (typed.length() > MAX_LENGTH) {
            errors.add(FieldError.of("cron", "is longer than " + MAX_LENGTH + " characters"));
        } else {
            try {
                cron = CronExpression.parse(typed);
            } catch (IllegalArgumentException e) {
                errors.add(FieldError.of(
                        "cron",
                        "is not a cron expression of six fields (second minute hour day-of-month month day-of-week,"
                                + " such as '0 0 7 * * MON'): " + e.getMessage()));
            }
        }
        ZoneId zoneId = null;
        String zoneTyped = zone == null ? "" : zone.strip();
        if (zoneTyped.isEmpty()) {
            errors.add(FieldError.of("timeZone", "is required, an IANA time zone such as Europe/Berlin or UTC"));
        } else {
            try {
                zoneId = ZoneId.of(zoneTyped);
            } catch (DateTimeException e) {
                errors.add(FieldError.of(
                        "timeZone",
                        "'" + zoneTyped + "' is not an IANA time zone; use one such as Europe/Berlin,"
                                + " America/New_York or UTC"));
            }
        }
        if (cron != null && zoneId != null) {
            ZonedDateTime at = now.atZone(zoneId);
            ZonedDateTime previous = cron.next(at);
            if (previous == null) {
                errors.add(FieldError.of("cron", "never runs (no such date), such as the 30th of February"));
            } else {
                for (int i = 0; i < RUNS_CHECKED; i++) {
                    ZonedDateTime next = cron.next(previous);
                    if (next == null) {
                        break;
                    }
                    if (Duration.between(previous, next).compareTo(SHORTEST_GAP) < 0) {
                        errors.add(FieldError.of(
                                "cron",
                                "runs more than once an hour (" + previous.toLocalDateTime() + " then "
                                        + next.toLocalDateTime() + "); a report goes out at most once an hour"));
                        break;
                    }
                    previous = next;
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new ReportCron(typed, zoneId);
    }

    /** The first run after {@code after}, or null when there is none. */
    Instant next(Instant after) {
        ZonedDateTime next = CronExpression.parse(expression).next(after.atZone(zone));
        return next == null ? null : next.toInstant();
    }

    /** The next {@code count} runs after {@code after}, in the schedule's zone. */
    List<ZonedDateTime> nextRuns(Instant after, int count) {
        CronExpression cron = CronExpression.parse(expression);
        List<ZonedDateTime> runs = new ArrayList<>();
        ZonedDateTime at = after.atZone(zone);
        while (runs.size() < count) {
            at = cron.next(at);
            if (at == null) {
                break;
            }
            runs.add(at);
        }
        return runs;
    }
}
