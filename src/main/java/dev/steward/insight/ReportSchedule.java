package dev.steward.insight;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A report emailed on a schedule: what ({@code executive}: the executive dashboard as a PDF with a CSV of each table,
 * optionally for one tier; {@code cockpit}: each recipient's own cockpit as a PDF with its priorities as CSV), to whom,
 * and when (a cron expression read in an IANA time zone). {@code nextRuns} are the next three due times in that zone;
 * {@code nextRunAt} is null while the schedule is paused.
 */
public record ReportSchedule(
        UUID id,
        String name,
        String report,
        @Nullable String tier,
        String cron,
        String timeZone,
        boolean enabled,
        Cockpit.Person owner,
        List<Cockpit.Person> recipients,
        @Nullable Instant nextRunAt,
        List<OffsetDateTime> nextRuns,
        @Nullable Instant lastRunAt,
        Instant createdAt,
        Instant updatedAt) {

    /** What a schedule may send. */
    static final List<String> REPORTS = List.of("executive", "cockpit");

    /** A schedule as asked for: {@code recipients} default to the person asking, {@code enabled} to true. */
    public record Request(
            @Nullable String name,
            @Nullable String report,
            @Nullable String tier,
            @Nullable String cron,
            @Nullable String timeZone,
            @Nullable List<UUID> recipients,
            @Nullable Boolean enabled) {}

    /**
     * One run of a schedule: at its due time, or asked for by someone ({@code requestedBy}, "send now"); with the email
     * it queued for each recipient, or why it could make none ({@code error}).
     */
    public record Run(
            UUID id,
            @Nullable Instant dueAt,
            @Nullable UUID requestedBy,
            Instant ranAt,
            @Nullable String error,
            List<Sent> deliveries) {}

    /**
     * How the email of one run to one recipient went, as the outbox says: {@code queued} (not tried yet),
     * {@code retrying} (failed, tried again at {@code nextAttemptAt}), {@code sent}, {@code failed} (given up on, with
     * {@code lastError}), {@code held} (email is off: no SMTP server configured) or {@code not queued} (no email was
     * made, {@code lastError} says why).
     */
    public record Sent(
            Cockpit.Person recipient,
            String status,
            int attempts,
            @Nullable String lastError,
            @Nullable Instant nextAttemptAt,
            @Nullable Instant sentAt,
            @Nullable UUID delivery) {}

    /** The next due times of a cron expression in a zone, as a form previews them. */
    public record Preview(String cron, String timeZone, List<OffsetDateTime> nextRuns) {}
}
