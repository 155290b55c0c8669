package dev.steward.ingest.zendesk;

import static dev.steward.ingest.sync.VendorFields.blankToNull;
import static dev.steward.ingest.sync.VendorFields.clip;
import static dev.steward.ingest.sync.VendorFields.day;
import static dev.steward.ingest.sync.VendorFields.text;

import dev.steward.activity.SurveyResponse;
import dev.steward.activity.SurveyResponseInput;
import dev.steward.activity.Ticket;
import dev.steward.activity.TicketInput;
import dev.steward.ingest.sync.RecordRefused;
import dev.steward.ingest.sync.VendorFields;
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
 * How Zendesk's organizations, users, tickets and satisfaction ratings read as Steward's accounts, contacts, tickets
 * and CSAT responses; plain Java, so that every rule of the mapping can be checked without a server. A record that
 * cannot be read (no id, a time that is no time, a status Zendesk does not have) is refused naming the field.
 */
final class ZendeskRecords {

    /** The tag Zendesk puts on a ticket it closed because it was merged into another. */
    static final String MERGED_TAG = "closed_by_merge";

    /** The tag that marks a ticket escalated unless a source names another. */
    static final String ESCALATION_TAG = "escalated";

    /** The CSAT scores a Zendesk rating becomes: Zendesk asks good or bad, Steward keeps CSAT on a 1–5 scale. */
    static final int GOOD = 5;

    static final int BAD = 1;

    private ZendeskRecords() {}

    /** An organization as Steward reads it; {@code deleted}: Zendesk deleted it. */
    record Organization(long id, String name, @Nullable String externalId, List<String> domains, boolean deleted) {

        /** The account record of an organization Steward created the account of: its name, nothing else. */
        ObjectNode account() {
            ObjectNode record = JsonNodeFactory.instance.objectNode();
            record.put("externalId", Long.toString(id));
            record.put("name", name);
            return record;
        }
    }

    /** What becomes of a ticket: stored, removed (Zendesk deleted it, or merged it into another), or not Steward's. */
    enum Disposition {
        store,
        delete,
        skip
    }

    /** A ticket as read: what becomes of it, its organization, and the ticket to store. */
    record TicketRead(
            long id,
            Disposition disposition,
            @Nullable Long organizationId,
            @Nullable TicketInput input,
            String why) {}

    /**
     * A satisfaction rating as read: the ticket it rates, its score (null: offered but not given), when it was given
     * (its last update: a customer may change a rating) and created.
     */
    record RatingRead(
            long id,
            long ticketId,
            @Nullable Integer score,
            Instant at,
            Instant createdAt,
            @Nullable String comment) {

        SurveyResponseInput response(long organizationId) {
            return new SurveyResponseInput(
                    Long.toString(id),
                    null,
                    Long.toString(organizationId),
                    at,
                    SurveyResponse.Kind.csat,
                    score,
                    comment,
                    null);
        }
    }

    /** A user as read: the contact record, or null with why it is not one. */
    record UserRead(long id, @Nullable ObjectNode contact, String why) {}

    static Organization organization(JsonNode org) {
        long id = id(org, "id");
        String name = text(org, "name");
        JsonNode external = org.path("external_id");
        String externalId = external.isString() || external.isNumber() ? blankToNull(external.asString()) : null;
        List<String> domains = new ArrayList<>();
        for (JsonNode domain : org.path("domain_names")) {
            if (domain.isString() && !domain.asString().isBlank()) {
                domains.add(domain.asString().strip().toLowerCase(Locale.ROOT));
            }
        }
        time(org, "updated_at");
        return new Organization(
                id,
                clip(name == null ? "Zendesk organization " + id : name, 200),
                externalId,
                domains,
                !org.path("deleted_at").isMissingNode()
                        && !org.path("deleted_at").isNull());
    }

    /**
     * A user as a contact of its organization's account: end users with an organization only (agents and
     * administrators are the vendor's people, not the customer's). A user Zendesk deactivated or deleted ({@code
     * active} false) left on the day of that change.
     */
    static UserRead user(JsonNode user) {
        long id = id(user, "id");
        String role = text(user, "role");
        if (role != null && !role.equals("end-user")) {
            return new UserRead(id, null, "a " + role + ", not a customer's person");
        }
        JsonNode organization = user.path("organization_id");
        if (!organization.isIntegralNumber()) {
            return new UserRead(id, null, "of no organization");
        }
        Instant created = time(user, "created_at");
        Instant updated = time(user, "updated_at");
        ObjectNode contact = JsonNodeFactory.instance.objectNode();
        contact.put("externalId", Long.toString(id));
        contact.put("accountExternalId", Long.toString(organization.asLong()));
        String email = text(user, "email");
        String name = text(user, "name");
        contact.put("name", clip(name != null ? name : email != null ? email : "Zendesk user " + id, 200));
        contact.put("email", email);
        String phone = text(user, "phone");
        contact.put("phone", phone == null ? null : clip(phone, 50));
        if (created != null) {
            contact.put("joinedAt", day(created).toString());
        }
        boolean left = user.path("active").isBoolean() && !user.path("active").asBoolean();
        Instant leftAt = left ? (updated != null ? updated : created) : null;
        contact.put("leftAt", leftAt == null ? null : day(leftAt).toString());
        return new UserRead(id, contact, "");
    }

    /**
     * A ticket of the incremental export, with its metric set if Zendesk side-loaded one. Zendesk's statuses new and
     * open are open, pending and on-hold are pending; priority is normal when Zendesk has none; a ticket is escalated
     * when it carries the escalation tag or is urgent. The first reply is the creation plus the metric set's calendar
     * reply time; a solved or closed ticket was resolved when its metric set says it was solved (else the creation
     * plus the full resolution time, else its last update). A good rating gives CSAT 5, a bad one 1. Deleted tickets
     * and those closed by a merge into another ticket are removed; tickets of no organization belong to no account.
     */
    static TicketRead ticket(JsonNode ticket, @Nullable JsonNode metricSet, String escalationTag) {
        long id = id(ticket, "id");
        String status = text(ticket, "status");
        if ("deleted".equals(status)) {
            return new TicketRead(id, Disposition.delete, null, null, "deleted in Zendesk");
        }
        List<String> tags = tags(ticket);
        if (tags.contains(MERGED_TAG)) {
            return new TicketRead(id, Disposition.delete, null, null, "merged into another ticket");
        }
        Ticket.Status state = status(status);
        Instant opened = time(ticket, "created_at");
        if (opened == null) {
            throw new RecordRefused("created_at", null, "is missing");
        }
        Instant updated = time(ticket, "updated_at");
        Ticket.Priority priority = priority(text(ticket, "priority"));
        JsonNode organization = ticket.path("organization_id");
        if (!organization.isIntegralNumber()) {
            return new TicketRead(id, Disposition.skip, null, null, "of no organization");
        }
        Instant firstResponse = null;
        Instant resolved = null;
        if (metricSet != null) {
            firstResponse = plusMinutes(opened, metricSet.path("reply_time_in_minutes"), "reply_time_in_minutes");
        }
        if (state == Ticket.Status.solved || state == Ticket.Status.closed) {
            Instant solvedAt = metricSet == null ? null : time(metricSet, "solved_at");
            Instant full = metricSet == null
                    ? null
                    : plusMinutes(
                            opened,
                            metricSet.path("full_resolution_time_in_minutes"),
                            "full_resolution_time_in_minutes");
            resolved = solvedAt != null ? solvedAt : full != null ? full : updated != null ? updated : opened;
            if (resolved.isBefore(opened)) {
                resolved = opened;
            }
        }
        String subject = text(ticket, "subject");
        if (subject == null) {
            subject = text(ticket, "raw_subject");
        }
        boolean escalated = priority == Ticket.Priority.urgent
                || tags.contains(escalationTag.strip().toLowerCase(Locale.ROOT));
        TicketInput input = new TicketInput(
                Long.toString(id),
                null,
                Long.toString(organization.asLong()),
                opened,
                firstResponse,
                resolved,
                clip(subject == null ? "Ticket #" + id : subject, 500),
                priority,
                state,
                escalated,
                csat(ticket.path("satisfaction_rating").path("score").asString(null)));
        return new TicketRead(id, Disposition.store, organization.asLong(), input, "");
    }

    /** A satisfaction rating: good is CSAT 5, bad is 1; offered or unoffered is no answer (null). */
    static RatingRead rating(JsonNode rating) {
        long id = id(rating, "id");
        long ticket = id(rating, "ticket_id");
        String score = text(rating, "score");
        if (score == null) {
            throw new RecordRefused("score", null, "is missing");
        }
        Integer csat = csat(score);
        if (csat == null && !score.equals("offered") && !score.equals("unoffered")) {
            throw new RecordRefused("score", score, "is not a Zendesk rating (good, bad, offered, unoffered)");
        }
        Instant created = time(rating, "created_at");
        Instant updated = time(rating, "updated_at");
        Instant at = updated != null ? updated : created;
        if (at == null) {
            throw new RecordRefused("created_at", null, "is missing");
        }
        String comment = text(rating, "comment");
        return new RatingRead(
                id, ticket, csat, at, created != null ? created : at, comment == null ? null : clip(comment, 20_000));
    }

    private static @Nullable Integer csat(@Nullable String score) {
        if (score == null) {
            return null;
        }
        return switch (score) {
            case "good" -> GOOD;
            case "bad" -> BAD;
            default -> null;
        };
    }

    private static Ticket.Status status(@Nullable String status) {
        if (status == null) {
            throw new RecordRefused("status", null, "is missing");
        }
        return switch (status) {
            case "new", "open" -> Ticket.Status.open;
            case "pending", "hold" -> Ticket.Status.pending;
            case "solved" -> Ticket.Status.solved;
            case "closed" -> Ticket.Status.closed;
            default ->
                throw new RecordRefused(
                        "status",
                        status,
                        "is not a Zendesk status (new, open, pending, hold, solved, closed, deleted)");
        };
    }

    private static Ticket.Priority priority(@Nullable String priority) {
        if (priority == null) {
            return Ticket.Priority.normal;
        }
        return switch (priority) {
            case "low" -> Ticket.Priority.low;
            case "normal" -> Ticket.Priority.normal;
            case "high" -> Ticket.Priority.high;
            case "urgent" -> Ticket.Priority.urgent;
            default ->
                throw new RecordRefused("priority", priority, "is not a Zendesk priority (low, normal, high, urgent)");
        };
    }

    private static List<String> tags(JsonNode record) {
        List<String> tags = new ArrayList<>();
        record.path("tags").forEach(t -> {
            if (t.isString()) {
                tags.add(t.asString().toLowerCase(Locale.ROOT));
            }
        });
        return tags;
    }

    /** The creation plus a metric's calendar minutes ({@code {"calendar": 12, "business": 7}}), or null. */
    private static @Nullable Instant plusMinutes(Instant from, JsonNode metric, String field) {
        JsonNode minutes = metric.path("calendar");
        if (minutes.isMissingNode() || minutes.isNull()) {
            return null;
        }
        if (!minutes.isNumber() || minutes.asDouble() < 0 || minutes.asDouble() > 60 * 24 * 365 * 100.0) {
            throw new RecordRefused(field + ".calendar", minutes.toString(), "is not a number of minutes");
        }
        return from.plus(Duration.ofSeconds(Math.round(minutes.asDouble() * 60)));
    }

    static long id(JsonNode record, String field) {
        return VendorFields.wholeId(record, field, "Zendesk");
    }

    private static @Nullable Instant time(JsonNode record, String field) {
        return VendorFields.isoTime(record, field);
    }
}
