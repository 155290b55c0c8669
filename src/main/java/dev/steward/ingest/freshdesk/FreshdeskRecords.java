package dev.steward.ingest.freshdesk;

import static dev.steward.ingest.sync.VendorFields.clip;
import static dev.steward.ingest.sync.VendorFields.day;
import static dev.steward.ingest.sync.VendorFields.isoTime;
import static dev.steward.ingest.sync.VendorFields.text;
import static dev.steward.ingest.sync.VendorFields.wholeId;

import dev.steward.activity.SurveyResponse;
import dev.steward.activity.SurveyResponseInput;
import dev.steward.activity.Ticket;
import dev.steward.activity.TicketInput;
import dev.steward.ingest.sync.RecordRefused;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * How Freshdesk's companies, contacts, tickets and satisfaction ratings read as Steward's accounts, contacts, tickets
 * and CSAT responses; plain Java, so that every rule of the mapping can be checked without a server. A record that
 * cannot be read (no id, a time that is no time, a status or priority Freshdesk does not have) is refused naming the
 * field. Freshdesk's ids are whole numbers, its times ISO 8601 in UTC.
 */
final class FreshdeskRecords {

    /** The tag that marks a ticket escalated (besides Freshdesk's own escalation flags and the urgent priority). */
    static final String ESCALATION_TAG = "escalated";

    private FreshdeskRecords() {}

    /** A company as Steward reads it: its id, name, the customer's own id for it (a custom field), its domains. */
    record Company(long id, String name, @Nullable String externalId, List<String> domains) {

        /** The account record of a company Steward created the account of: its name, nothing else. */
        ObjectNode account() {
            ObjectNode record = JsonNodeFactory.instance.objectNode();
            record.put("externalId", Long.toString(id));
            record.put("name", name);
            return record;
        }
    }

    /** A contact as read: the contact record, or null with why it is not one. */
    record ContactRead(long id, @Nullable ObjectNode contact, String why) {}

    /** What becomes of a ticket: stored, removed (deleted or marked spam in Freshdesk), or not Steward's. */
    enum Disposition {
        store,
        delete,
        skip
    }

    /** A ticket as read: what becomes of it, its company, and the ticket to store. */
    record TicketRead(
            long id,
            Disposition disposition,
            @Nullable Long companyId,
            @Nullable TicketInput input,
            String why) {}

    /** A satisfaction rating as read: the ticket it rates, its score on Steward's CSAT scale, when it was given. */
    record RatingRead(
            long id,
            long ticketId,
            int score,
            Instant at,
            @Nullable String feedback) {

        SurveyResponseInput response(long companyId) {
            return new SurveyResponseInput(
                    Long.toString(id),
                    null,
                    Long.toString(companyId),
                    at,
                    SurveyResponse.Kind.csat,
                    score,
                    feedback,
                    null);
        }
    }

    /**
     * A company; {@code externalIdField} names the custom field that holds the customer's own id for it (null: none).
     * Its domains are lower-cased.
     */
    static Company company(JsonNode company, @Nullable String externalIdField) {
        long id = id(company, "id");
        String name = text(company, "name");
        String externalId = null;
        if (externalIdField != null) {
            JsonNode value = company.path("custom_fields").path(externalIdField);
            if (value.isString() && !value.asString().isBlank()) {
                externalId = value.asString().strip();
            } else if (value.isIntegralNumber()) {
                externalId = Long.toString(value.asLong());
            }
        }
        List<String> domains = new ArrayList<>();
        JsonNode given = company.path("domains");
        if (!given.isMissingNode() && !given.isNull() && !given.isArray()) {
            throw new RecordRefused("domains", given.toString(), "is not a list of domains");
        }
        for (JsonNode domain : given) {
            if (domain.isString() && !domain.asString().isBlank()) {
                domains.add(domain.asString().strip().toLowerCase(Locale.ROOT));
            }
        }
        isoTime(company, "created_at");
        isoTime(company, "updated_at");
        return new Company(id, clip(name == null ? "Freshdesk company " + id : name, 200), externalId, domains);
    }

    /**
     * A contact as a contact of its company's account: a contact of no company belongs to no account, and a deleted
     * one is no contact. Joined on the day it was created.
     */
    static ContactRead contact(JsonNode contact) {
        long id = id(contact, "id");
        Instant created = isoTime(contact, "created_at");
        isoTime(contact, "updated_at");
        if (contact.path("deleted").asBoolean(false)) {
            return new ContactRead(id, null, "deleted in Freshdesk");
        }
        JsonNode company = contact.path("company_id");
        if (company.isMissingNode() || company.isNull()) {
            return new ContactRead(id, null, "of no company");
        }
        long companyId = id(contact, "company_id");
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        record.put("externalId", Long.toString(id));
        record.put("accountExternalId", Long.toString(companyId));
        String email = text(contact, "email");
        String name = text(contact, "name");
        record.put("name", clip(name != null ? name : email != null ? email : "Freshdesk contact " + id, 200));
        record.put("email", email);
        String phone = text(contact, "phone");
        if (phone == null) {
            phone = text(contact, "mobile");
        }
        record.put("phone", phone == null ? null : clip(phone, 50));
        if (created != null) {
            record.put("joinedAt", day(created).toString());
        }
        return new ContactRead(id, record, "");
    }

    /**
     * A ticket of the list, with its stats ({@code include=stats}). Freshdesk's statuses: 2 Open is open, 3 Pending
     * pending, 4 Resolved solved, 5 Closed closed, and a custom status (6 and up: "Waiting on customer"…) pending.
     * Priorities 1 Low, 2 Medium, 3 High, 4 Urgent are low, normal, high, urgent. Escalated when Freshdesk escalated
     * it ({@code is_escalated}: its resolution is overdue; {@code fr_escalated}: its first response), when tagged
     * {@value #ESCALATION_TAG}, or when urgent. The first response is the stats' {@code first_responded_at}; a resolved
     * or closed ticket was resolved at the stats' {@code resolved_at} (else {@code closed_at}, else its last update).
     * Tickets deleted or marked spam are removed; tickets of no company belong to no account.
     */
    static TicketRead ticket(JsonNode ticket) {
        long id = id(ticket, "id");
        if (ticket.path("deleted").asBoolean(false) || ticket.path("spam").asBoolean(false)) {
            return new TicketRead(
                    id,
                    Disposition.delete,
                    null,
                    null,
                    ticket.path("spam").asBoolean(false) ? "marked spam in Freshdesk" : "deleted in Freshdesk");
        }
        Instant opened = isoTime(ticket, "created_at");
        if (opened == null) {
            throw new RecordRefused("created_at", null, "is missing");
        }
        Instant updated = isoTime(ticket, "updated_at");
        Ticket.Status status = status(ticket.path("status"));
        Ticket.Priority priority = priority(ticket.path("priority"));
        JsonNode stats = ticket.path("stats");
        Instant firstResponse = isoTime(stats, "first_responded_at");
        Instant resolved = null;
        if (status == Ticket.Status.solved || status == Ticket.Status.closed) {
            resolved = isoTime(stats, "resolved_at");
            if (resolved == null) {
                resolved = isoTime(stats, "closed_at");
            }
            if (resolved == null) {
                resolved = updated != null ? updated : opened;
            }
            if (resolved.isBefore(opened)) {
                resolved = opened;
            }
        }
        if (firstResponse != null && firstResponse.isBefore(opened)) {
            firstResponse = opened;
        }
        JsonNode company = ticket.path("company_id");
        if (company.isMissingNode() || company.isNull()) {
            return new TicketRead(id, Disposition.skip, null, null, "of no company");
        }
        long companyId = id(ticket, "company_id");
        boolean escalated = ticket.path("is_escalated").asBoolean(false)
                || ticket.path("fr_escalated").asBoolean(false)
                || tags(ticket).contains(ESCALATION_TAG)
                || priority == Ticket.Priority.urgent;
        String subject = text(ticket, "subject");
        TicketInput input = new TicketInput(
                Long.toString(id),
                null,
                Long.toString(companyId),
                opened,
                firstResponse,
                resolved,
                clip(subject == null ? "Ticket #" + id : subject, 500),
                priority,
                status,
                escalated,
                null);
        return new TicketRead(id, Disposition.store, companyId, input, "");
    }

    /**
     * A satisfaction rating: its answer to the survey's default question, on Freshdesk's scale (103 extremely happy,
     * 102 very happy, 101 happy, 100 neutral, -101 unhappy, -102 very unhappy, -103 extremely unhappy), as Steward's
     * CSAT (1–5): 103 is 5, 102 and 101 are 4, 100 is 3, -101 and -102 are 2, -103 is 1. A two- or three-point survey
     * answers only 103, 100 and -103, which become 5, 3 and 1.
     */
    static RatingRead rating(JsonNode rating) {
        long id = id(rating, "id");
        long ticket = id(rating, "ticket_id");
        Instant created = isoTime(rating, "created_at");
        if (created == null) {
            throw new RecordRefused("created_at", null, "is missing");
        }
        JsonNode answer = rating.path("ratings").path("default_question");
        if (answer.isMissingNode() || answer.isNull()) {
            throw new RecordRefused("ratings.default_question", null, "is missing");
        }
        int score = switch (answer.isIntegralNumber() ? answer.asInt() : 0) {
            case 103 -> 5;
            case 102, 101 -> 4;
            case 100 -> 3;
            case -101, -102 -> 2;
            case -103 -> 1;
            default ->
                throw new RecordRefused(
                        "ratings.default_question",
                        answer.asString(answer.toString()),
                        "is not a Freshdesk rating (103 extremely happy … -103 extremely unhappy)");
        };
        String feedback = text(rating, "feedback");
        return new RatingRead(id, ticket, score, created, feedback == null ? null : clip(feedback, 20_000));
    }

    private static Ticket.Status status(JsonNode status) {
        if (status.isMissingNode() || status.isNull()) {
            throw new RecordRefused("status", null, "is missing");
        }
        int code = status.isIntegralNumber() ? status.asInt() : 0;
        return switch (code) {
            case 2 -> Ticket.Status.open;
            case 3 -> Ticket.Status.pending;
            case 4 -> Ticket.Status.solved;
            case 5 -> Ticket.Status.closed;
            default -> {
                if (code >= 6 && code <= 1_000) {
                    yield Ticket.Status.pending;
                }
                throw new RecordRefused(
                        "status",
                        status.asString(status.toString()),
                        "is not a Freshdesk status (2 Open, 3 Pending, 4 Resolved, 5 Closed, 6 and up custom)");
            }
        };
    }

    private static Ticket.Priority priority(JsonNode priority) {
        if (priority.isMissingNode() || priority.isNull()) {
            return Ticket.Priority.normal;
        }
        return switch (priority.isIntegralNumber() ? priority.asInt() : 0) {
            case 1 -> Ticket.Priority.low;
            case 2 -> Ticket.Priority.normal;
            case 3 -> Ticket.Priority.high;
            case 4 -> Ticket.Priority.urgent;
            default ->
                throw new RecordRefused(
                        "priority",
                        priority.asString(priority.toString()),
                        "is not a Freshdesk priority (1 Low, 2 Medium, 3 High, 4 Urgent)");
        };
    }

    private static List<String> tags(JsonNode ticket) {
        List<String> tags = new ArrayList<>();
        ticket.path("tags").forEach(t -> {
            if (t.isString() && !t.asString().isBlank()) {
                tags.add(t.asString().strip().toLowerCase(Locale.ROOT));
            }
        });
        return tags;
    }

    static long id(JsonNode record, String field) {
        return wholeId(record, field, "Freshdesk");
    }
}
