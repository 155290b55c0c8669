package dev.steward.playbook;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

/**
 * A call to action as lists and the API show it: the account, the playbook that made it ({@code null} for one made by
 * hand), its type, title, priority and status, its owner, when it was made and is due under its SLA (business days),
 * whether it is overdue and since when it is escalated, a snooze, how it was closed, its cause (the fact that fired the
 * playbook, the score then) and its tasks done of all.
 */
public record Cta(
        UUID id,
        UUID accountId,
        String accountName,
        String playbook,
        Integer playbookVersion,
        String type,
        String title,
        String priority,
        String status,
        UUID ownerId,
        String ownerName,
        Instant createdAt,
        Instant dueAt,
        int slaDays,
        boolean overdue,
        Instant escalatedAt,
        LocalDate snoozedUntil,
        String snoozeReason,
        Instant closedAt,
        String closedBy,
        String outcome,
        String outcomeReason,
        Map<String, Object> cause,
        int tasks,
        int tasksDone)
        implements Serializable {}
