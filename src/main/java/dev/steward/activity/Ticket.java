package dev.steward.activity;

import dev.steward.customer.AccountId;
import java.time.Instant;
import java.util.UUID;

/** A support ticket of an account, with the times it was opened, first answered and resolved. */
public record Ticket(
        UUID id,
        AccountId accountId,
        String source,
        String externalId,
        Instant openedAt,
        Instant firstResponseAt,
        Instant resolvedAt,
        String subject,
        Priority priority,
        Status status,
        boolean escalated,
        Integer csat) {

    /** How urgent the customer's problem is. */
    public enum Priority {
        low,
        normal,
        high,
        urgent
    }

    /** Where the ticket is in the support workflow. */
    public enum Status {
        open,
        pending,
        solved,
        closed
    }
}
