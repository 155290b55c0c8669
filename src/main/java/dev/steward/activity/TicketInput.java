package dev.steward.activity;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;

/** A support ticket as a client sends it; priority defaults to normal and status to open. */
public record TicketInput(
        @Size(max = 200) String externalId,
        UUID accountId,
        @Size(max = 200) String accountExternalId,
        @NotNull Instant openedAt,
        Instant firstResponseAt,
        Instant resolvedAt,
        @NotBlank @Size(max = 500) String subject,
        Ticket.Priority priority,
        Ticket.Status status,
        Boolean escalated,
        @Min(1) @Max(5) Integer csat)
        implements ActivityInput {

    public TicketInput {
        priority = priority == null ? Ticket.Priority.normal : priority;
        status = status == null ? Ticket.Status.open : status;
        escalated = escalated != null && escalated;
    }
}
