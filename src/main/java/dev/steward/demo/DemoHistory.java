package dev.steward.demo;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Everything the simulation says happened to one demo account, in plain records that the loader maps onto the
 * modules' inputs. Times are facts: each carries when it became true.
 */
record DemoHistory(
        Profile profile,
        List<Person> people,
        List<Term> terms,
        List<Ticket> tickets,
        List<Invoice> invoices,
        List<Meeting> meetings,
        List<Survey> surveys,
        List<Note> notes,
        Churn churn,
        List<Usage> usage) {

    record Profile(
            String externalId,
            String name,
            String parentExternalId,
            String tier,
            String industry,
            String region,
            int employees,
            int ownerIndex,
            String lifecycleStage,
            LocalDate customerSince,
            String domain) {}

    record Person(
            String externalId,
            String name,
            String email,
            String title,
            String role,
            LocalDate joinedOn,
            LocalDate leftOn) {}

    record Term(
            String externalId,
            String previousExternalId,
            LocalDate start,
            LocalDate end,
            BigDecimal arr,
            int seats,
            String plan,
            String status,
            boolean autoRenew) {}

    record Ticket(
            String externalId,
            Instant openedAt,
            Instant firstResponseAt,
            Instant resolvedAt,
            String subject,
            String priority,
            String status,
            boolean escalated,
            Integer csat) {}

    record Invoice(
            String externalId,
            LocalDate issuedOn,
            LocalDate dueOn,
            LocalDate paidOn,
            BigDecimal amount,
            String status) {}

    record Meeting(
            String externalId,
            Instant occurredAt,
            String type,
            String title,
            List<String> attendees,
            boolean executiveSponsorAttended) {}

    record Survey(String externalId, Instant respondedAt, String kind, int score, String comment, String email) {}

    record Note(String externalId, Instant writtenAt, String body) {}

    record Churn(String externalId, LocalDate churnedOn, String reasonCategory, String reason, BigDecimal arrLost) {}

    /** One day's value of one usage metric. */
    record Usage(LocalDate day, String metric, int value) {}
}
