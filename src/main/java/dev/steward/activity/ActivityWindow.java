package dev.steward.activity;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * What one account's activity facts said over a span of days, in the few fields scoring reads: the tickets opened or
 * resolved, the invoices issued or still open, the meetings, survey responses and sentiments recorded in the span.
 */
public record ActivityWindow(
        List<TicketFact> tickets,
        List<InvoiceFact> invoices,
        List<MeetingFact> meetings,
        List<SurveyFact> surveys,
        List<SentimentFact> sentiments) {

    public ActivityWindow {
        tickets = List.copyOf(tickets);
        invoices = List.copyOf(invoices);
        meetings = List.copyOf(meetings);
        surveys = List.copyOf(surveys);
        sentiments = List.copyOf(sentiments);
    }

    /**
     * How many days before a window a ticket or invoice may have been opened and still count during it (resolved in
     * it, unpaid at its start): bounds what is read per account; a ticket open for over a year is a data problem, not
     * support load.
     */
    public static final int OPEN_FOR_AT_MOST = 365;

    public static ActivityWindow empty() {
        return new ActivityWindow(List.of(), List.of(), List.of(), List.of(), List.of());
    }

    /** A ticket: when it was opened and resolved ({@code null} while unresolved), escalation and CSAT (1–5). */
    public record TicketFact(Instant openedAt, Instant resolvedAt, boolean escalated, Integer csat) {}

    /** An invoice: issued, due and paid ({@code null} while unpaid) dates and whether it is void or a draft. */
    public record InvoiceFact(LocalDate issuedOn, LocalDate dueOn, LocalDate paidOn, boolean billable) {}

    /** A meeting: when, its type ({@code qbr}, {@code check_in} …) and whether the executive sponsor attended. */
    public record MeetingFact(Instant occurredAt, String type, boolean executiveSponsorAttended) {}

    /** A survey response: when, its kind ({@code nps} 0–10 or {@code csat} 1–5) and score. */
    public record SurveyFact(Instant respondedAt, String kind, int score) {}

    /** A CSM's sentiment: when and the score 1–5. */
    public record SentimentFact(Instant recordedAt, int score) {}
}
