package dev.steward.ingest.intercom;

import static dev.steward.ingest.sync.VendorFields.blankToNull;
import static dev.steward.ingest.sync.VendorFields.clip;
import static dev.steward.ingest.sync.VendorFields.day;
import static dev.steward.ingest.sync.VendorFields.text;

import dev.steward.activity.SurveyResponse;
import dev.steward.activity.SurveyResponseInput;
import dev.steward.activity.Ticket;
import dev.steward.activity.TicketInput;
import dev.steward.ingest.sync.RecordRefused;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * How Intercom's companies, contacts, conversations and tickets read as Steward's accounts, contacts, tickets and CSAT
 * responses; plain Java, so that every rule of the mapping can be checked without a server. A record that cannot be
 * read (no id, a time that is no time, a state Intercom does not have) is refused naming the field. Intercom sends
 * times as seconds since 1970.
 */
final class IntercomRecords {

    /** The tag that marks a conversation or ticket escalated. */
    static final String ESCALATION_TAG = "escalated";

    private IntercomRecords() {}

    /** A company as Steward reads it: Intercom's id, the customer's own {@code company_id}, its website's domain. */
    record Company(
            String id,
            String name,
            @Nullable String companyId,
            List<String> domains,
            @Nullable Instant updatedAt) {

        /** The account record of a company Steward created the account of: its name, nothing else. */
        ObjectNode account() {
            ObjectNode record = JsonNodeFactory.instance.objectNode();
            record.put("externalId", id);
            record.put("name", name);
            return record;
        }
    }

    /** A contact as read: its company (Intercom's id, null for none), and the contact record if it has one. */
    record ContactRead(
            String id,
            @Nullable String companyId,
            @Nullable ObjectNode contact,
            @Nullable Instant updatedAt) {}

    /** What becomes of a conversation or ticket: stored, removed (Intercom deleted it), or not Steward's. */
    enum Disposition {
        store,
        delete,
        skip
    }

    /**
     * A conversation or ticket as read: what becomes of it, the contacts it is with (the first of them with a company
     * names the account), the ticket to store once the account is known, and its rating.
     */
    record TicketRead(
            String id,
            Disposition disposition,
            List<String> contactIds,
            @Nullable Instant updatedAt,
            @Nullable Draft draft,
            @Nullable Rating rating,
            String why) {

        TicketInput input(String companyId) {
            Draft t = java.util.Objects.requireNonNull(draft);
            return new TicketInput(
                    id,
                    null,
                    companyId,
                    t.openedAt(),
                    t.firstResponseAt(),
                    t.resolvedAt(),
                    t.subject(),
                    t.priority(),
                    t.status(),
                    t.escalated(),
                    rating == null ? null : rating.score());
        }
    }

    /** What a ticket holds before its account is known. */
    record Draft(
            Instant openedAt,
            @Nullable Instant firstResponseAt,
            @Nullable Instant resolvedAt,
            String subject,
            Ticket.Priority priority,
            Ticket.Status status,
            boolean escalated) {}

    /** A conversation's rating (1–5, as Steward's CSAT), when it was given, and the customer's remark. */
    record Rating(
            String conversationId,
            int score,
            Instant at,
            @Nullable String remark) {

        SurveyResponseInput response(String companyId) {
            return new SurveyResponseInput(
                    conversationId, null, companyId, at, SurveyResponse.Kind.csat, score, remark, null);
        }
    }

    /** Whether the record is a deleted object as Intercom shows one: {@code {"id", "object", "deleted": true}}. */
    static boolean deleted(JsonNode record) {
        return record.path("deleted").asBoolean(false);
    }

    static Company company(JsonNode company) {
        String id = id(company, "id");
        String name = text(company, "name");
        String companyId = text(company, "company_id");
        List<String> domains = new ArrayList<>();
        String website = text(company, "website");
        if (website != null) {
            String domain = website.toLowerCase(Locale.ROOT)
                    .replaceFirst("^[a-z][a-z0-9+.-]*://", "")
                    .replaceFirst("[/?#:].*$", "")
                    .replaceFirst("^www\\.", "");
            if (!domain.isBlank()) {
                domains.add(domain);
            }
        }
        time(company, "created_at");
        return new Company(
                id,
                clip(name == null ? "Intercom company " + id : name, 200),
                companyId,
                domains,
                time(company, "updated_at"));
    }

    /**
     * A contact (a user or a lead) as a contact of its first company's account; a contact of no company belongs to no
     * account. Joined on the day it signed up (else was created).
     */
    static ContactRead contact(JsonNode contact) {
        String id = id(contact, "id");
        String role = text(contact, "role");
        if (role != null && !role.equals("user") && !role.equals("lead")) {
            throw new RecordRefused("role", role, "is not an Intercom contact role (user, lead)");
        }
        Instant created = time(contact, "created_at");
        Instant signedUp = time(contact, "signed_up_at");
        Instant updated = time(contact, "updated_at");
        JsonNode first = contact.path("companies").path("data").path(0);
        String company = first.isMissingNode() ? null : text(first, "id");
        if (company == null) {
            return new ContactRead(id, null, null, updated);
        }
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        record.put("externalId", id);
        record.put("accountExternalId", company);
        String email = text(contact, "email");
        String name = text(contact, "name");
        record.put("name", clip(name != null ? name : email != null ? email : "Intercom contact " + id, 200));
        record.put("email", email);
        String phone = text(contact, "phone");
        record.put("phone", phone == null ? null : clip(phone, 50));
        Instant joined = signedUp != null ? signedUp : created;
        if (joined != null) {
            record.put("joinedAt", day(joined).toString());
        }
        return new ContactRead(id, company, record, updated);
    }

    /**
     * A conversation. Intercom's states: open is open, snoozed pending, closed closed; priority {@code priority} is
     * high, {@code not_priority} normal; escalated when tagged {@value #ESCALATION_TAG}. The first response is the
     * statistics' first admin reply (else the creation plus {@code time_to_admin_reply}); a closed conversation was
     * resolved at its last close (else the creation plus {@code time_to_last_close}, else its last update). Its
     * rating (1–5) is its CSAT. A conversation that became a ticket is read as that ticket.
     */
    static TicketRead conversation(JsonNode conversation) {
        String id = id(conversation, "id");
        if (deleted(conversation)) {
            return new TicketRead(id, Disposition.delete, List.of(), null, null, null, "deleted in Intercom");
        }
        Instant opened = time(conversation, "created_at");
        if (opened == null) {
            throw new RecordRefused("created_at", null, "is missing");
        }
        Instant updated = time(conversation, "updated_at");
        String state = text(conversation, "state");
        Ticket.Status status = switch (state == null ? "" : state) {
            case "open" -> Ticket.Status.open;
            case "snoozed" -> Ticket.Status.pending;
            case "closed" -> Ticket.Status.closed;
            case "" -> throw new RecordRefused("state", null, "is missing");
            default -> throw new RecordRefused("state", state, "is not an Intercom state (open, snoozed, closed)");
        };
        String priorityText = text(conversation, "priority");
        Ticket.Priority priority = switch (priorityText == null ? "not_priority" : priorityText) {
            case "priority" -> Ticket.Priority.high;
            case "not_priority" -> Ticket.Priority.normal;
            default ->
                throw new RecordRefused(
                        "priority", priorityText, "is not an Intercom priority (priority, not_priority)");
        };
        JsonNode statistics = conversation.path("statistics");
        Instant firstResponse = time(statistics, "first_admin_reply_at");
        if (firstResponse == null) {
            firstResponse = plusSeconds(opened, statistics, "time_to_admin_reply");
        }
        Instant resolved = null;
        if (status == Ticket.Status.closed) {
            resolved = time(statistics, "last_close_at");
            if (resolved == null) {
                resolved = plusSeconds(opened, statistics, "time_to_last_close");
            }
            if (resolved == null) {
                resolved = updated != null ? updated : opened;
            }
            if (resolved.isBefore(opened)) {
                resolved = opened;
            }
        }
        Rating rating = rating(id, conversation.path("conversation_rating"), updated != null ? updated : opened);
        List<String> contacts = contacts(conversation);
        JsonNode ticket = conversation.path("ticket");
        if (!ticket.isMissingNode() && !ticket.isNull()) {
            return new TicketRead(id, Disposition.skip, contacts, updated, null, null, "read as its ticket");
        }
        String subject = text(conversation, "title");
        if (subject == null) {
            subject = text(conversation.path("source"), "subject");
        }
        if (subject == null) {
            String body = text(conversation.path("source"), "body");
            subject = body == null
                    ? null
                    : blankToNull(body.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " "));
        }
        Draft draft = new Draft(
                opened,
                firstResponse,
                resolved,
                clip(subject == null ? "Conversation #" + id : subject, 500),
                priority,
                status,
                tags(conversation).contains(ESCALATION_TAG));
        return new TicketRead(id, Disposition.store, contacts, updated, draft, rating, "");
    }

    /**
     * An Intercom ticket, stored under {@code ticket-<id>}. Its state's category: submitted and in progress are open,
     * waiting on the customer pending, resolved solved (at its last update).
     */
    static TicketRead ticket(JsonNode ticket) {
        String id = id(ticket, "id");
        String key = "ticket-" + id;
        if (deleted(ticket)) {
            return new TicketRead(key, Disposition.delete, List.of(), null, null, null, "deleted in Intercom");
        }
        Instant opened = time(ticket, "created_at");
        if (opened == null) {
            throw new RecordRefused("created_at", null, "is missing");
        }
        Instant updated = time(ticket, "updated_at");
        JsonNode state = ticket.path("ticket_state");
        String category = state.isObject() ? text(state, "category") : text(ticket, "ticket_state");
        Ticket.Status status = switch (category == null ? "" : category) {
            case "submitted", "in_progress" -> Ticket.Status.open;
            case "waiting_on_customer" -> Ticket.Status.pending;
            case "resolved" -> Ticket.Status.solved;
            case "" -> throw new RecordRefused("ticket_state", null, "is missing");
            default ->
                throw new RecordRefused(
                        "ticket_state.category",
                        category,
                        "is not an Intercom ticket state (submitted, in_progress, waiting_on_customer, resolved)");
        };
        Instant resolved = null;
        if (status == Ticket.Status.solved) {
            resolved = updated != null && !updated.isBefore(opened) ? updated : opened;
        }
        String subject = text(ticket.path("ticket_attributes"), "_default_title_");
        if (subject == null) {
            subject = text(ticket.path("ticket_type"), "name");
        }
        String number = text(ticket, "ticket_id");
        Draft draft = new Draft(
                opened,
                null,
                resolved,
                clip(subject == null ? "Ticket #" + (number == null ? id : number) : subject, 500),
                Ticket.Priority.normal,
                status,
                tags(ticket).contains(ESCALATION_TAG));
        return new TicketRead(key, Disposition.store, contacts(ticket), updated, draft, null, "");
    }

    private static @Nullable Rating rating(String conversation, JsonNode rating, Instant fallback) {
        if (rating.isMissingNode()
                || rating.isNull()
                || rating.path("rating").isNull()
                || rating.path("rating").isMissingNode()) {
            return null;
        }
        JsonNode score = rating.path("rating");
        if (!score.isIntegralNumber() || score.asInt() < 1 || score.asInt() > 5) {
            throw new RecordRefused("conversation_rating.rating", score.toString(), "is not a rating from 1 to 5");
        }
        Instant at = time(rating, "created_at");
        String remark = text(rating, "remark");
        return new Rating(
                conversation, score.asInt(), at != null ? at : fallback, remark == null ? null : clip(remark, 20_000));
    }

    private static List<String> contacts(JsonNode record) {
        List<String> ids = new ArrayList<>();
        record.path("contacts").path("contacts").forEach(c -> {
            String id = text(c, "id");
            if (id != null) {
                ids.add(id);
            }
        });
        return ids;
    }

    private static List<String> tags(JsonNode record) {
        List<String> tags = new ArrayList<>();
        record.path("tags").path("tags").forEach(t -> {
            String name = text(t, "name");
            if (name != null) {
                tags.add(name.toLowerCase(Locale.ROOT));
            }
        });
        return tags;
    }

    /** The creation plus a statistic's seconds, or null when Intercom has none. */
    private static @Nullable Instant plusSeconds(Instant from, JsonNode statistics, String field) {
        JsonNode seconds = statistics.path(field);
        if (seconds.isMissingNode() || seconds.isNull()) {
            return null;
        }
        if (!seconds.isNumber() || seconds.asDouble() < 0 || seconds.asDouble() > 100 * 365 * 86_400.0) {
            throw new RecordRefused("statistics." + field, seconds.toString(), "is not a number of seconds");
        }
        return from.plus(Duration.ofSeconds(Math.round(seconds.asDouble())));
    }

    /** An Intercom id: a string (Intercom's ids are strings), or a whole number. */
    static String id(JsonNode record, String field) {
        JsonNode id = record.path(field);
        if (id.isMissingNode() || id.isNull()) {
            throw new RecordRefused(field, null, "is missing");
        }
        if (id.isIntegralNumber() && id.asLong() > 0) {
            return Long.toString(id.asLong());
        }
        if (!id.isString() || id.asString().isBlank() || id.asString().length() > 100) {
            throw new RecordRefused(field, id.toString(), "is not an Intercom id");
        }
        return id.asString().strip();
    }

    /** A time as Intercom sends it: seconds since 1970 (a whole number); null when absent. */
    static @Nullable Instant time(JsonNode record, String field) {
        JsonNode value = record.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || value.asLong() < 0 || value.asLong() > 32_503_680_000L) {
            throw new RecordRefused(
                    field,
                    value.asString(value.toString()),
                    "is not a time (seconds since 1970, as Intercom sends times)");
        }
        return Instant.ofEpochSecond(value.asLong());
    }
}
